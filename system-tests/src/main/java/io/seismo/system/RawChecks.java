package io.seismo.system;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The checks on one API's raw samples: none twice, and no poll lost inside a job run or in a gap no chaos event explains. */
final class RawChecks {

  private static final long RUN_BREAK = 1_000_000; // sequence bases are the job's start in µs: 1 s apart at least

  private RawChecks() {}

  /** Counts the API's samples and checks for duplicates; false if it has no sample at all (nothing else to check). */
  static boolean samples(Verifier.Api api, Verifier.Raw r, List<String> failures, Tally tally) {
    String id = api.apiId();
    tally.rawDuplicates += r.duplicates;
    if (r.duplicates > 0) {
      failures.add(id + ": " + r.duplicates + " duplicate raw sample(s)");
    }
    long distinct = r.sampleTimes.size();
    tally.samples += distinct;
    if (api.sse()) {
      tally.sseSamples += distinct;
    } else {
      tally.polls += distinct;
    }
    if (distinct == 0) {
      failures.add(id + ": no raw sample at all");
      return false;
    }
    return true;
  }

  /** Scheduled polls: holes inside a job's run are losses; gaps between runs need an owner that was down. */
  static void polling(Verifier.Api api, Verifier.Raw r, List<ChaosEvent> events, List<String> failures, Tally tally) {
    if (api.sse()) {
      return;
    }
    String id = api.apiId();
    Long previousSequence = null;
    Long previousAt = null;
    List<long[]> runs = new ArrayList<>(); // [firstAt, lastAt]
    for (Map.Entry<Long, Long> poll : r.pollTimes.entrySet()) {
      if (previousSequence != null && poll.getKey() - previousSequence < RUN_BREAK) {
        long missing = poll.getKey() - previousSequence - 1;
        if (missing > 0) {
          tally.lostInRun += missing;
          failures.add(id + ": " + missing + " poll(s) missing inside one job run after sequence " + previousSequence);
        }
        runs.getLast()[1] = poll.getValue();
      } else {
        runs.add(new long[] {poll.getValue(), poll.getValue()});
      }
      previousSequence = poll.getKey();
      previousAt = poll.getValue();
    }
    runs.sort(Comparator.comparingLong(run -> run[0]));
    long end = Long.MIN_VALUE;
    for (long[] run : runs) {
      if (end != Long.MIN_VALUE && run[0] - end > 2 * api.intervalMs() + 1_000) {
        long gap = run[0] - end;
        tally.gaps.add(gap);
        tally.gapPollsMissed += Math.max(0, gap / api.intervalMs() - 1);
        Instant from = Instant.ofEpochMilli(end);
        Instant to = Instant.ofEpochMilli(run[0]);
        if (events.stream().filter(RawChecks::stopsPolling).noneMatch(e -> e.overlaps(from, to, Duration.ofSeconds(5)))) {
          failures.add(id + ": a " + gap + " ms gap in polling from " + from + " that no chaos event explains");
        }
      }
      end = Math.max(end, run[1]);
    }
    Objects.requireNonNull(previousAt);
  }

  /**
   * Events that can leave an API unpolled for a while: its ingest owner killed or frozen, or a broker
   * down (the ingest group's coordinator may move and the group rebalance). A topology kill cannot.
   */
  private static boolean stopsPolling(ChaosEvent event) {
    return switch (event.kind()) {
      case KILL_INGEST, KILL_LEADER_BROKER, RESTART_BROKER -> true;
      case PAUSE -> event.target().startsWith("ingest");
      case KILL_TOPOLOGY -> false;
    };
  }
}
