package io.seismo.api.dlq;

import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import java.util.List;

/** A dead letter's place in {@code seismo.dlq}: named {@code <partition>-<offset>} by the REST API. */
record LetterId(int partition, long offset) {

  /** Parses a REST id; 400 if it is not {@code <partition>-<offset>}. */
  static LetterId parse(String id) {
    String[] parts = id == null ? new String[0] : id.split("-", -1);
    if (parts.length == 2) {
      try {
        int partition = Integer.parseInt(parts[0]);
        long offset = Long.parseLong(parts[1]);
        if (partition >= 0 && offset >= 0) {
          return new LetterId(partition, offset);
        }
      } catch (NumberFormatException ignoredBecauseReportedBelow) {
        // reported below
      }
    }
    throw ProblemException.badRequest("a dead letter id is <partition>-<offset>, like 0-42",
        List.of(new FieldError("id", "not <partition>-<offset>: '" + (id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'")));
  }

  /** The key of the letter's action on {@code seismo.dlq.actions}. */
  String key() {
    return key(partition, offset);
  }

  static String key(int partition, long offset) {
    return partition + "@" + offset;
  }

  /** The REST id of a letter. */
  static String id(int partition, long offset) {
    return partition + "-" + offset;
  }
}
