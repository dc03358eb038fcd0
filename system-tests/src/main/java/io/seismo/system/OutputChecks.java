package io.seismo.system;

import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Source;
import io.seismo.schemas.topic.Topics;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The checks of one API's output topics against its raw samples: the status, the chain of changes, the windows. */
final class OutputChecks {

  private static final Map<String, Long> WINDOWS = Map.of("1m", 60_000L, "1h", 3_600_000L, "1d", 86_400_000L);

  private OutputChecks() {}

  /** The status's samples == distinct raw samples, its changes == the changes topic, and its last hash the last change's. */
  static void status(String id, long distinct, ApiStatus status, List<Change> apiChanges, List<String> failures) {
    if (status == null) {
      failures.add(id + ": no status on " + Topics.STATUS.name());
    } else {
      if (status.getSamples() != distinct) {
        failures.add(id + ": status samples " + status.getSamples() + " != " + distinct + " distinct raw samples");
      }
      if (status.getChanges() != apiChanges.size()) {
        failures.add(id + ": status changes " + status.getChanges() + " != " + apiChanges.size() + " on " + Topics.CHANGES.name());
      }
      if (!apiChanges.isEmpty() && !apiChanges.getLast().getNewHash().equals(status.getLastContentHash())) {
        failures.add(id + ": last change's newHash is not the status's lastContentHash");
      }
    }
  }

  /** The chain of changes, and no poll sequence analysed twice. */
  static void changes(String id, List<Change> apiChanges, List<String> failures) {
    Set<Long> sequences = new HashSet<>();
    for (int i = 0; i < apiChanges.size(); i++) {
      Change change = apiChanges.get(i);
      if (i > 0 && !Objects.equals(change.getPreviousHash(), apiChanges.get(i - 1).getNewHash())) {
        failures.add(id + ": change chain broken at change " + (i + 1) + " (previousHash " + change.getPreviousHash()
            + " != newHash before " + apiChanges.get(i - 1).getNewHash() + ")");
      }
      if (change.getSource() == Source.POLL && !sequences.add(change.getSequence())) {
        failures.add(id + ": poll sequence " + change.getSequence() + " analysed twice (two changes)");
      }
    }
  }

  /** Windows: the samples per window on the metrics topic == the raw samples whose time falls in it, per window size. */
  static void windows(String id, List<Long> sampleTimes, Map<String, Map<Long, ApiMetrics>> apiMetrics, List<String> failures,
                      Tally tally) {
    for (Map.Entry<String, Long> window : WINDOWS.entrySet()) {
      Map<Long, Long> expected = new TreeMap<>();
      for (long at : sampleTimes) {
        expected.merge(Math.floorDiv(at, window.getValue()) * window.getValue(), 1L, Long::sum);
      }
      Map<Long, ApiMetrics> actual = apiMetrics.getOrDefault(window.getKey(), Map.of());
      Set<Long> starts = new TreeSet<>(expected.keySet());
      starts.addAll(actual.keySet());
      for (long start : starts) {
        tally.windows++;
        long want = expected.getOrDefault(start, 0L);
        long got = actual.containsKey(start) ? actual.get(start).getSamples() : 0;
        if (want != got) {
          failures.add(id + ": window " + window.getKey() + "@" + Instant.ofEpochMilli(start) + " has " + got
              + " samples on " + Topics.METRICS.name() + ", raw has " + want);
        }
      }
    }
  }
}
