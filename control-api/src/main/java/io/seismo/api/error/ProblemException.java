package io.seismo.api.error;

import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Thrown by handlers to answer with a problem; mapped once, by {@link ProblemAnswers}. */
public final class ProblemException extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;
  private final List<Problem.FieldError> errors;
  private final Optional<Duration> retryAfter;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors,
                          Optional<Duration> retryAfter) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.retryAfter = retryAfter;
  }

  private static ProblemException of(HttpStatus status, String type, String title, String detail) {
    return new ProblemException(status.getCode(), type, title, detail, List.of(), Optional.empty());
  }

  public static ProblemException badRequest(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(HttpStatus.BAD_REQUEST.getCode(), "invalid-request", "Invalid request", detail, errors,
        Optional.empty());
  }

  public static ProblemException notFound(String detail) {
    return of(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
  }

  public static ProblemException methodNotAllowed(String detail) {
    return of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", detail);
  }

  public static ProblemException conflict(String detail) {
    return of(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
  }

  /** 412: the If-Match sent names another version than the current one. */
  public static ProblemException preconditionFailed(String detail) {
    return of(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", detail);
  }

  public static ProblemException tooLarge(String detail) {
    return of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Request too large", detail);
  }

  public static ProblemException unsupportedMediaType(String detail) {
    return of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type", detail);
  }

  /** 428: a change that needs an If-Match was sent without one. */
  public static ProblemException preconditionRequired(String detail) {
    return of(HttpStatus.PRECONDITION_REQUIRED, "precondition-required", "Precondition required", detail);
  }

  /** 429 with Retry-After: the caller is over its rate. */
  public static ProblemException rateLimited(String detail, Duration retryAfter) {
    return new ProblemException(HttpStatus.TOO_MANY_REQUESTS.getCode(), "rate-limited", "Too many requests", detail,
        List.of(), Optional.of(retryAfter));
  }

  /**
   * A 401 with its RFC 6750 challenge: {@code invalidToken} when a bearer token was presented but is not
   * one of ours, so a client can tell a missing token from a wrong one.
   */
  public static ProblemException unauthorized(String detail, boolean invalidToken) {
    return of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail)
        .withHeader("WWW-Authenticate", invalidToken ? "Bearer realm=\"seismo\", error=\"invalid_token\"" : "Bearer realm=\"seismo\"");
  }

  public static ProblemException unauthorized(String detail) {
    return unauthorized(detail, false);
  }

  public static ProblemException forbidden(String detail) {
    return of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail)
        .withHeader("WWW-Authenticate", "Bearer realm=\"seismo\", error=\"insufficient_scope\"");
  }

  public static ProblemException internal(String detail) {
    return of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error", detail);
  }

  public static ProblemException unavailable(String detail) {
    return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE.getCode(), "unavailable", "Service unavailable", detail,
        List.of(), Optional.of(Duration.ofSeconds(1)));
  }

  public Problem toProblem(String instance) {
    return new Problem("https://seismo.io/problems/" + type, title, status, getMessage(), instance, errors);
  }

  public int status() {
    return status;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  /** Adds a response header to send with this problem (WWW-Authenticate, Allow); returns this. */
  public ProblemException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Response headers to send with this problem, besides Content-Type and Retry-After. */
  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }
}
