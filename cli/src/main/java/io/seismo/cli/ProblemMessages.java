package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** The message of a failed answer of the control API, from its status and RFC 9457 problem. */
final class ProblemMessages {

  private ProblemMessages() {}

  /**
   * The first line of a failed answer, {@code HTTP <status>: <detail> (<title>)}: what scripts match on
   * (CliIT, ConfigAsCodeIT).
   */
  private static String statusLine(int status, JsonNode problem) {
    String detail = problem.path("detail").asText("");
    String title = problem.path("title").asText("");
    StringBuilder line = new StringBuilder("HTTP ").append(status);
    if (!detail.isEmpty()) {
      line.append(": ").append(detail);
      if (!title.isEmpty() && !title.equalsIgnoreCase(detail)) {
        line.append(" (").append(title).append(')');
      }
    } else if (!title.isEmpty()) {
      line.append(": ").append(title);
    } else if (problem.isTextual() && !problem.asText().isBlank()) { // not problem+json: its text, shortened
      String text = problem.asText().strip();
      line.append(": ").append(text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
    return line.toString();
  }

  /** The whole message: the status line, then each {@code errors[]} as {@code field: message}, then a hint. */
  static String describe(int status, JsonNode problem) {
    return describe(status, problem, Function.identity());
  }

  /** The whole message, each {@code errors[].field} named as {@code fieldName} says. */
  static String describe(int status, JsonNode problem, Function<String, String> fieldName) {
    StringBuilder message = new StringBuilder(statusLine(status, problem));
    for (JsonNode error : problem.path("errors")) {
      message.append(System.lineSeparator()).append("  ").append(fieldName.apply(error.path("field").asText("?")))
          .append(": ").append(error.path("message").asText());
    }
    String hint = switch (status) {
      case 401 -> "a token is needed: --token or SEISMO_TOKEN";
      case 403 -> "this token may only read: writes need a write token";
      default -> null;
    };
    if (hint != null) {
      message.append(System.lineSeparator()).append("  ").append(hint);
    }
    return message.toString();
  }
}
