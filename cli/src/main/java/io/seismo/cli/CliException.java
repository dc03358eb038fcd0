package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A failure the user can act on; printed as one line, exit code 1. */
final class CliException extends RuntimeException {
  private final transient JsonNode problem;

  CliException(String message) {
    this(message, MissingNode.getInstance());
  }

  /** With the server's problem+json (its {@code errors} name the fields). */
  CliException(String message, JsonNode problem) {
    super(message);
    this.problem = problem;
  }

  JsonNode problem() {
    return problem;
  }
}
