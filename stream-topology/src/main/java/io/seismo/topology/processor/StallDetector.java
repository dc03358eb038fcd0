package io.seismo.topology.processor;

import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Registration;
import io.seismo.schemas.schedule.InvalidScheduleException;
import io.seismo.schemas.schedule.ScheduleSpec;
import io.seismo.topology.config.TopologyConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The wall-clock stall check: an API that should be sampled but was not within k × the gap the ingest
 * keeps before its next poll is made STALLED ({@link StatusMachine#stall}).
 */
final class StallDetector {

  private final TopologyConfig config;
  private final CachedTable<Registration> registrations;
  private final CachedTable<ApiStatus> statuses;
  /** Wall-clock time each API's last sample was analysed at (see {@link AnalysisRouter}). */
  private final Map<String, Long> analysedAt;
  private final StatusMachine machine;

  StallDetector(TopologyConfig config, CachedTable<Registration> registrations, CachedTable<ApiStatus> statuses,
                Map<String, Long> analysedAt, StatusMachine machine) {
    this.config = config;
    this.registrations = registrations;
    this.statuses = statuses;
    this.analysedAt = analysedAt;
    this.machine = machine;
  }

  /** A sample of the API was analysed at {@code now} (wall clock): the stall check measures from it too. */
  void analysed(String apiId, long now) {
    analysedAt.put(apiId, now);
  }

  /**
   * A failing API is in the ingest's backoff (its interval doubled per consecutive failure, capped at the
   * ingest's max backoff; a 429 / 503 Retry-After up to that cap), so it stays FAILING while the ingest
   * keeps polling it at that pace; only when even that pace is not kept is it STALLED. Each gap also
   * holds the requests' own time (the last latency).
   */
  void check(long now) {
    List<KeyValue<String, ApiStatus>> stalled = new ArrayList<>();
    try (KeyValueIterator<String, ApiStatus> all = statuses.all()) {
      while (all.hasNext()) {
        KeyValue<String, ApiStatus> entry = all.next();
        ApiStatus status = entry.value;
        if (status.getState() == ApiState.STOPPED || status.getState() == ApiState.STALLED
            || status.getPollIntervalMs() <= 0 || streamedOnly(entry.key)) {
          continue;
        }
        // a registration change (updatedAt) restarts the clock: the ingest restarts the job with the new
        // interval, and the last sample may be far older than the new interval allows
        long reference = status.getLastSampleAt() != null
            ? Math.max(status.getLastSampleAt(), status.getUpdatedAt()) : status.getUpdatedAt();
        // and from when the last sample was analysed here: sample times are the ingest host's clock
        reference = Math.max(reference, analysedAt.getOrDefault(entry.key, Long.MIN_VALUE));
        if (overdue(entry.key, status, reference, now)) {
          stalled.add(entry);
        }
      }
    }
    for (KeyValue<String, ApiStatus> entry : stalled) {
      ApiStatus status = entry.value;
      machine.stall(entry.key, status, now, "no sample for more than " + Duration.ofMillis(stallAllowance(status))
          + " (interval " + Duration.ofMillis(status.getPollIntervalMs())
          + (status.getState() == ApiState.FAILING
              ? ", in backoff after " + status.getConsecutiveFailures() + " failures" : "")
          + ")");
    }
  }

  /** SSE-only APIs report their own silence as heartbeat gaps; the poll-interval stall rule does not apply. */
  private boolean streamedOnly(String apiId) {
    Registration registration = registrations.get(apiId);
    return registration != null && registration.getMode() == ApiMode.SSE;
  }

  /**
   * True when the API has gone unsampled longer than its allowance after {@code reference}. With a
   * schedule ({@code Registration.schedule}) the allowance counts from when the next poll was due — the
   * next cron time, or the first active moment (out of paused windows and active hours) one interval
   * after the reference — and an API is never STALLED while its schedule is inactive.
   */
  private boolean overdue(String apiId, ApiStatus status, long reference, long now) {
    long allowance = stallAllowance(status);
    ScheduleSpec schedule = schedule(registrations.get(apiId));
    if (schedule.always()) {
      return now - reference > allowance;
    }
    if (!schedule.active(Instant.ofEpochMilli(now))) {
      return false;
    }
    long expected = Math.max(1, allowance / config.stallFactor() - Math.max(0, status.getLastLatencyMs()));
    Optional<Instant> due = schedule.nextPoll(Instant.ofEpochMilli(reference + (schedule.cron() ? 1 : expected)));
    return due.isPresent() && now - due.get().toEpochMilli() > allowance - (schedule.cron() ? 0 : expected);
  }

  /** The registration's schedule; one that does not parse (refused at registration) counts as none. */
  static ScheduleSpec schedule(Registration registration) {
    try {
      return ScheduleSpec.of(registration == null ? null : registration.getSchedule());
    } catch (InvalidScheduleException e) {
      return ScheduleSpec.ALWAYS;
    }
  }

  /** How long after its last sample an API may stay unsampled before it is STALLED. */
  private long stallAllowance(ApiStatus status) {
    long interval = status.getPollIntervalMs();
    long expected = interval;
    int failures = status.getConsecutiveFailures();
    if (failures > 0) {
      long cap = Math.max(config.ingestMaxBackoff().toMillis(), interval);
      int http = status.getLastHttpStatus();
      expected = http == 429 || http == 503 ? cap : Math.min(cap, interval << Math.min(failures - 1, 20));
    }
    long latency = Math.max(0, status.getLastLatencyMs());
    return Math.max((expected + latency) * config.stallFactor(), config.stallCheck().toMillis());
  }
}
