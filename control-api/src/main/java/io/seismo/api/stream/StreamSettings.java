package io.seismo.api.stream;

import java.time.Duration;

/**
 * The bounds of {@code GET /apis/{id}/stream}.
 *
 * @param heartbeat        interval of the heartbeat comment
 * @param sendTimeout      longest a single write (event or comment) may wait for the client to take it
 * @param maxBufferedBytes most bytes waiting for one client (queued events plus the write in progress)
 * @param maxAge           a stream is closed after this long (EventSource clients reconnect with Last-Event-ID);
 *                         the only bound that catches a client that never reads on an API that never changes
 * @param maxPerCaller     concurrent streams per caller (bearer token, or client address without a valid one)
 * @param maxTotal         concurrent streams of this instance
 */
public record StreamSettings(Duration heartbeat, Duration sendTimeout, long maxBufferedBytes, Duration maxAge,
                             int maxPerCaller, int maxTotal) {

  public StreamSettings {
    if (heartbeat.isNegative() || heartbeat.isZero() || sendTimeout.isNegative() || sendTimeout.isZero()
        || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("stream durations must be positive");
    }
    if (maxBufferedBytes < 1 || maxPerCaller < 1 || maxTotal < 1) {
      throw new IllegalArgumentException("stream limits must be at least 1");
    }
  }

  public static StreamSettings defaults() {
    return new StreamSettings(Duration.ofSeconds(15), Duration.ofSeconds(30), 1024 * 1024, Duration.ofHours(1), 32, 1000);
  }
}
