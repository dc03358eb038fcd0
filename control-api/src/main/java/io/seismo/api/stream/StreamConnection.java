package io.seismo.api.stream;

import io.seismo.api.stream.OpenStreams.Cause;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SSE writer of one stream: every write is timed by the watchdog of its {@link OpenStreams}. */
final class StreamConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamConnection.class);

  private final OpenStreams streams;
  final String apiId;
  private final Instant connectedAt = Instant.now();
  private volatile long eventsSent;   // written by the stream's thread only
  private volatile long bytesSent;
  private final OutputStream out;
  private final ChangeFeed.Subscription subscription;
  private final Runnable abort;
  private final long openedAt;
  private volatile long writeStartedAt;
  private volatile boolean writing;
  private volatile String cutOff;


  StreamConnection(OpenStreams streams, String apiId, OutputStream out, ChangeFeed.Subscription subscription,
                   Runnable abort, long openedAt) {
    this.streams = streams;
    this.apiId = apiId;
    this.out = out;
    this.subscription = subscription;
    this.abort = abort;
    this.openedAt = openedAt;
  }

  void event(String type, String data, String id) throws IOException {
    StringBuilder frame = new StringBuilder(data.length() + 96).append("event: ").append(type).append('\n');
    if (id != null) {
      frame.append("id: ").append(id).append('\n');
    }
    for (String line : data.split("\r\n|\r|\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    write(frame.append('\n').toString(), true);
  }

  void comment(String text) throws IOException {
    write(": " + text.replaceAll("[\r\n]", " ") + "\n\n", false);
  }

  StreamTraffic.Client client() {
    return new StreamTraffic.Client(connectedAt, eventsSent, bytesSent);
  }

  /** What remains of the stream's maximum age. */
  Duration timeLeft() {
    return streams.settings().maxAge().minusNanos(streams.nanoTime() - openedAt);
  }

  private void write(String frame, boolean event) throws IOException {
    if (cutOff != null) {
      throw new IOException("stream cut off: " + cutOff);
    }
    byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
    writeStartedAt = streams.nanoTime();
    writing = true;
    try {
      out.write(bytes);
      out.flush();
    } finally {
      writing = false;
    }
    eventsSent += event ? 1 : 0;
    bytesSent += bytes.length;
    streams.traffic.sent(apiId, event, bytes.length);
    if (cutOff != null) {
      throw new IOException("stream cut off: " + cutOff);
    }
  }

  /** Why the client is to be cut off now (blocked in a write too long, or too much waiting for it), or null. */
  Cause stalled(long now) {
    if (!writing) {
      return null;
    }
    if (now - writeStartedAt > streams.settings().sendTimeout().toNanos()) {
      return Cause.SEND_TIMEOUT;
    }
    return subscription.overflowed ? Cause.BUFFERED : null;
  }

  /**
   * Cuts the client off for {@code cause} (once: counted and logged), closing its connection under a blocked
   * write when {@code close}; without, the stream's own thread ends the response.
   */
  void cutOff(Cause cause, boolean close) {
    if (end(streams.reason(cause))) {
      streams.countCutOff(cause);
      log.info("stream cut off apiId={} reason={}", subscription.apiId, cutOff);
      if (close) {
        closeConnection();
      }
    }
  }

  void shutdown() {
    if (end("the service is stopping")) {
      closeConnection();
    }
  }

  private synchronized boolean end(String reason) {
    if (cutOff != null) {
      return false;
    }
    cutOff = reason;
    return true;
  }

  private void closeConnection() {
    try {
      abort.run();
    } catch (RuntimeException e) {
      log.warn("stream abort failed apiId={} error={}", subscription.apiId, e.toString());
    }
  }

  @Override
  public void close() {
    streams.closed(this);
  }
}
