package io.seismo.system;

import java.time.Duration;
import java.time.Instant;

/**
 * One thing the chaos run did: what, to which process, when it began and when the cluster was whole
 * again (the process back, its replicas in sync or its group rebalanced), with a detail for the log.
 */
public record ChaosEvent(Kind kind, String target, Instant start, Instant end, String detail) {

  public enum Kind { KILL_LEADER_BROKER, KILL_INGEST, KILL_TOPOLOGY, PAUSE, RESTART_BROKER }

  public boolean overlaps(Instant from, Instant to, Duration slack) {
    return !to.isBefore(start.minus(slack)) && !from.isAfter(end.plus(slack));
  }

  @Override
  public String toString() {
    return kind + " " + target + " at " + start + " for " + Duration.between(start, end).toMillis() / 1000.0 + " s"
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
