package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A failure the user can act on: printed as {@code seismo: <message>}, and the exit code says whose move
 * it is (see {@link Seismo#EXIT_FAILED} and {@link Seismo#EXIT_UNAVAILABLE}).
 */
final class CliException extends RuntimeException {
  private final int exitCode;
  private final int httpStatus;
  private final transient JsonNode problem;

  /** A request that cannot be made as given (a file, a time): exit 1. */
  CliException(String message) {
    this(message, Seismo.EXIT_FAILED, 0, MissingNode.getInstance());
  }

  private CliException(String message, int exitCode, int httpStatus, JsonNode problem) {
    super(message);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
    this.problem = problem;
  }

  /** The control API (or Kafka) could not be reached, timed out, or could not go on: exit 3. */
  static CliException unavailable(String message) {
    return new CliException(message, Seismo.EXIT_UNAVAILABLE, 0, MissingNode.getInstance());
  }

  /**
   * The server answered {@code status} with this problem+json: 4xx exit 1; 5xx, and 429 still after the
   * retries, exit 3 (try again later).
   */
  static CliException answered(int status, JsonNode problem, String message) {
    boolean later = status >= 500 || status == 429;
    return new CliException(message, later ? Seismo.EXIT_UNAVAILABLE : Seismo.EXIT_FAILED, status, problem);
  }

  /** The same failure with another message (more lines of explanation). */
  CliException withMessage(String message) {
    return new CliException(message, exitCode, httpStatus, problem);
  }

  int exitCode() {
    return exitCode;
  }

  /** The HTTP status the server answered, 0 when the failure is not an answer. */
  int httpStatus() {
    return httpStatus;
  }

  /** The server's problem+json (its {@code errors} name the fields); missing when there is none. */
  JsonNode problem() {
    return problem;
  }
}
