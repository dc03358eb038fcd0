package io.seismo.ingest.poll;

import io.seismo.ingest.poll.HttpPoller.PollRequest;
import io.seismo.ingest.poll.HttpPoller.Polled;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.schedule.InvalidScheduleException;
import io.seismo.schemas.schedule.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The polling state of one API: sequence, validators for conditional requests, consecutive failures.
 * Not thread-safe: the scheduler runs at most one poll of a job at a time.
 */
final class PollJob {

  private static final double JITTER = 0.1;

  private final Registration registration;
  private final Duration interval;
  private final Duration maxBackoff;
  private final ScheduleSpec schedule;
  private long sequence;
  private String etag;
  private String lastModified;
  private volatile int consecutiveFailures;
  private volatile boolean polled;

  PollJob(Registration registration, Duration minInterval, Duration maxBackoff, long firstSequence) {
    this.registration = registration;
    this.interval = Duration.ofMillis(Math.max(registration.getPollIntervalMs(), minInterval.toMillis()));
    this.maxBackoff = maxBackoff;
    this.sequence = firstSequence;
    ScheduleSpec parsed;
    try {
      parsed = ScheduleSpec.of(registration.getSchedule());
    } catch (InvalidScheduleException e) {
      parsed = ScheduleSpec.ALWAYS; // refused at registration; polled every interval
    }
    this.schedule = parsed;
  }

  /**
   * The delay until the next poll at {@code now}, given the delay the interval or backoff asks for: with a
   * schedule, the first time it allows at or after then — with a cron expression its next fire time (the
   * interval does not apply, a backoff still does), out of paused windows and inside active hours. Polling
   * resumes by itself when a pause or the inactive hours end; nothing allowed within a year: checked again
   * in a day.
   */
  Duration scheduled(Instant now, Duration delay) {
    if (schedule.always()) {
      return delay;
    }
    Duration wanted = schedule.cron() && consecutiveFailures == 0 ? Duration.ZERO : delay;
    Instant earliest = now.plus(wanted);
    if (schedule.cron()) {
      earliest = earliest.plusMillis(1); // never the fire time just polled
    }
    return schedule.nextPoll(earliest).map(at -> Duration.between(now, at)).orElse(Duration.ofDays(1));
  }

  /** A job that continues from {@code checkpoint}: the next sequence, the same validators. */
  PollJob(Registration registration, Duration minInterval, Duration maxBackoff, PollCheckpoint checkpoint) {
    this(registration, minInterval, maxBackoff, checkpoint.sequence() + 1);
    this.etag = checkpoint.etag();
    this.lastModified = checkpoint.lastModified();
  }

  Registration registration() {
    return registration;
  }

  /** Read by /metrics from another thread. */
  int consecutiveFailures() {
    return consecutiveFailures;
  }

  boolean polledYet() {
    return polled;
  }

  String host() {
    return okhttp3.HttpUrl.parse(registration.getUrl()) instanceof okhttp3.HttpUrl url ? url.host() : "";
  }

  PollRequest nextRequest() {
    return new PollRequest(registration.getApiId(), sequence++, registration.getUrl(), registration.getHeaders(),
        etag, lastModified);
  }

  /** Remembers what the next poll needs from this one and returns the delay until it. */
  Duration onResult(Polled polled) {
    this.polled = true;
    PollResult result = polled.result();
    if (result.getError() == null || result.getNotModified()) {
      consecutiveFailures = 0;
      if (!result.getNotModified()) {
        etag = result.getEtag();
        lastModified = result.getLastModified();
      }
    } else {
      consecutiveFailures++;
    }
    Duration delay = consecutiveFailures == 0 ? interval : backoff();
    if (polled.retryAfter().isPresent() && polled.retryAfter().get().compareTo(delay) > 0) {
      // honoured up to the max backoff: the topology's stall rule counts on that bound
      delay = polled.retryAfter().get().compareTo(maxBackoff) > 0 ? maxBackoff : polled.retryAfter().get();
    }
    return jitter(delay);
  }

  /** Exponential backoff from the interval, capped; jitter is added by the caller. */
  private Duration backoff() {
    int exponent = Math.min(consecutiveFailures - 1, 20);
    long millis = Math.min(maxBackoff.toMillis(), interval.toMillis() << exponent);
    return Duration.ofMillis(Math.max(millis, interval.toMillis()));
  }

  private static Duration jitter(Duration delay) {
    long millis = delay.toMillis();
    long spread = (long) (millis * JITTER);
    return Duration.ofMillis(millis - spread / 2 + (spread > 0 ? ThreadLocalRandom.current().nextLong(spread + 1) : 0));
  }
}
