package io.seismo.api.error;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Thrown by handlers to answer with a problem; mapped once, in {@code ControlApi}. */
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

  public static ProblemException badRequest(String detail, List<Problem.FieldError> errors) {
    return new ProblemException(400, "invalid-request", "Invalid request", detail, errors, Optional.empty());
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not found", detail, List.of(), Optional.empty());
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "conflict", "Conflict", detail, List.of(), Optional.empty());
  }

  /**
   * A 401 with its RFC 6750 challenge: {@code invalidToken} when a bearer token was presented but is not
   * one of ours, so a client can tell a missing token from a wrong one.
   */
  public static ProblemException unauthorized(String detail, boolean invalidToken) {
    return new ProblemException(401, "unauthorized", "Unauthorized", detail, List.of(), Optional.empty())
        .withHeader("WWW-Authenticate", invalidToken ? "Bearer realm=\"seismo\", error=\"invalid_token\"" : "Bearer realm=\"seismo\"");
  }

  public static ProblemException unauthorized(String detail) {
    return unauthorized(detail, false);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "forbidden", "Forbidden", detail, List.of(), Optional.empty())
        .withHeader("WWW-Authenticate", "Bearer realm=\"seismo\", error=\"insufficient_scope\"");
  }

  public static ProblemException unavailable(String detail) {
    return new ProblemException(503, "unavailable", "Service unavailable", detail, List.of(),
        Optional.of(Duration.ofSeconds(1)));
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
