package io.seismo.ingest.sse;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long a stream waits before it reconnects, from its failures and the server's {@code retry:} time. */
final class ReconnectDelays {

  private static final Duration AFTER_CLOSE = Duration.ofSeconds(1);

  private final StreamWatch watch;
  private final Duration maxBackoff;

  ReconnectDelays(StreamWatch watch, Duration maxBackoff) {
    this.watch = watch;
    this.maxBackoff = maxBackoff;
  }

  /** After failures: exponential from 1 s, never below the server's {@code retry:} time, capped. */
  Duration afterFailures(int consecutiveFailures) {
    int exponent = Math.min(consecutiveFailures, 16);
    long millis = Math.max(1000L << exponent, Math.max(0, watch.retryMillis.get()));
    return Duration.ofMillis(Math.min(maxBackoff.toMillis(), millis));
  }

  /** After a clean close: the server's {@code retry:} time when it sent one (capped), else 1 s. */
  Duration afterClose() {
    long retry = watch.retryMillis.get();
    return retry < 0 ? AFTER_CLOSE : Duration.ofMillis(Math.min(maxBackoff.toMillis(), retry));
  }

  /** The delay plus a random jitter of up to a fifth of it and 100 ms. */
  static long jitteredMillis(Duration delay) {
    long millis = delay.toMillis();
    return millis + ThreadLocalRandom.current().nextLong(Math.max(1, millis / 5 + 100));
  }
}
