package io.seismo.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a route as an RFC 9457 problem in UTF-8: a {@link ProblemException} as it says, any other
 * exception as a 500, and Javalin's own 404, 405 and 413 answers in the same form.
 */
public final class ProblemAnswers {

  private static final Logger log = LoggerFactory.getLogger(ProblemAnswers.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private ProblemAnswers() {}

  /** Maps exceptions and Javalin's error statuses; {@code maxRequestBytes} is named in the 413 answer. */
  public static void register(RoutesConfig routes, long maxRequestBytes) {
    routes.exception(ProblemException.class, ProblemAnswers::answer);
    routes.exception(Exception.class, (e, ctx) -> {
      log.error("unhandled error method={} path={} error={}", ctx.method(), ctx.path(), e.toString(), e);
      answer(ProblemException.internal("the request failed unexpectedly; see the service log"), ctx);
    });
    routes.error(HttpStatus.NOT_FOUND, ctx -> {
      if (!answered(ctx)) { // Javalin's own "not found"
        answer(ProblemException.notFound("no route " + ctx.method() + " " + ctx.path()), ctx);
      }
    });
    routes.error(HttpStatus.METHOD_NOT_ALLOWED, ctx -> {
      if (!answered(ctx)) { // Javalin's, with Allow set
        answer(ProblemException.methodNotAllowed(ctx.method() + " is not allowed on " + ctx.path() + "; allowed: "
            + ctx.res().getHeader("Allow")), ctx);
      }
    });
    routes.error(HttpStatus.CONTENT_TOO_LARGE, ctx -> {
      if (!answered(ctx)) { // not a batch's own 413
        answer(ProblemException.tooLarge("request bodies are limited to " + maxRequestBytes + " bytes"), ctx);
      }
    });
  }

  /** Writes {@code problem} as the response: its status, headers (Retry-After, WWW-Authenticate) and body. */
  public static void answer(ProblemException problem, Context ctx) {
    problem.retryAfter().ifPresent(wait -> ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
    problem.headers().forEach(ctx::header);
    ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(bytes(problem.toProblem(ctx.path())));
  }

  private static boolean answered(Context ctx) {
    String contentType = ctx.res().getContentType();
    return contentType != null && contentType.startsWith("application/problem+json");
  }

  /** UTF-8 bytes: a String result would be encoded with the response's charset, ISO-8859-1 by default. */
  private static byte[] bytes(Problem problem) {
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
