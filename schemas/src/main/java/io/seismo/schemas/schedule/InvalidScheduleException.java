package io.seismo.schemas.schedule;

import java.util.List;

/** A schedule that cannot be used; {@link #problems()} name each bad field ("field: message"). */
public final class InvalidScheduleException extends RuntimeException {

  private final List<String> problems;

  public InvalidScheduleException(List<String> problems) {
    super("invalid schedule: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
