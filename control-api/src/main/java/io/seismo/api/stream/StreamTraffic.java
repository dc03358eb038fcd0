package io.seismo.api.stream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this instance's {@code /stream} actually sent, per API: connections, events and bytes as written to
 * the clients (frames, heartbeat comments included), since the instance started; and each open client's
 * share. Bounded: the {@value #MAX_APIS} APIs streamed most recently.
 */
public final class StreamTraffic {

  static final int MAX_APIS = 10_000;

  /** One open client: when it connected and what it was sent so far. */
  public record Client(Instant connectedAt, long events, long bytes) {}

  /** An API's stream traffic on this instance. */
  public record Sent(Instant since, long connections, long events, long bytes, List<Client> open) {}

  private final Instant since;
  private final Map<String, long[]> totals = new LinkedHashMap<>(256, 0.75f, true) { // guarded by this
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > MAX_APIS;
    }
  };
  private long bytes; // guarded by this

  StreamTraffic(Instant since) {
    this.since = since;
  }

  synchronized void connected(String apiId) {
    totals.computeIfAbsent(apiId, id -> new long[3])[0]++;
  }

  synchronized void sent(String apiId, boolean event, long frameBytes) {
    long[] sent = totals.computeIfAbsent(apiId, id -> new long[3]);
    sent[1] += event ? 1 : 0;
    sent[2] += frameBytes;
    bytes += frameBytes;
  }

  /** Bytes sent to all clients of all APIs (the {@code seismo_api_stream_sent_bytes_total} counter). */
  public synchronized long bytes() {
    return bytes;
  }

  Sent of(String apiId, List<Client> open) {
    long[] sent;
    synchronized (this) {
      long[] stored = totals.get(apiId);
      sent = stored == null ? new long[3] : stored.clone();
    }
    return new Sent(since, sent[0], sent[1], sent[2], new ArrayList<>(open));
  }
}
