package io.seismo.ingest.sse;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** Reports a heartbeat gap, with how long it lasted, whenever no byte of the stream arrived within the idle timeout. */
final class HeartbeatMonitor {

  private final ScheduledExecutorService timer;
  private final StreamWatch watch;
  private final Duration idleTimeout;
  private final LongConsumer onGap;
  private ScheduledFuture<?> check;

  HeartbeatMonitor(ScheduledExecutorService timer, StreamWatch watch, Duration idleTimeout, LongConsumer onGap) {
    this.timer = timer;
    this.watch = watch;
    this.idleTimeout = idleTimeout;
    this.onGap = onGap;
  }

  void start() {
    long period = Math.max(100, idleTimeout.toMillis() / 4);
    check = timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (check != null) {
      check.cancel(false);
    }
  }

  /** Restarts the idle time, as a new connection does. */
  void reset() {
    watch.lastActivityNanos.set(System.nanoTime());
  }

  private void check() {
    long idleNanos = System.nanoTime() - watch.lastActivityNanos.get();
    if (idleNanos > idleTimeout.toNanos()) {
      onGap.accept(idleNanos);
    }
  }
}
