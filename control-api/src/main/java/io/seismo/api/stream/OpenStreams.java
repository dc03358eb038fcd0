package io.seismo.api.stream;

import io.seismo.api.error.ProblemException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@code /stream} connections of this instance: admission (at most {@code maxPerCaller} per caller and
 * {@code maxTotal} in all; beyond, 429 or 503 problems with Retry-After) and a watchdog that cuts off a client that
 * does not take what it is sent — a write (event or heartbeat comment) blocked longer than the send timeout, or
 * more than the buffered-bytes bound waiting for it. Cutting off closes the connection, which fails the blocked
 * write and so frees the stream's thread, subscription and slot.
 */
public final class OpenStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final StreamSettings settings;
  private final LongSupplier nanoTime;
  private final Map<String, Integer> perCaller = new HashMap<>(); // guarded by this
  private int total; // guarded by this
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final StreamTraffic traffic = new StreamTraffic(Instant.now());
  private final Map<Cause, LongAdder> cutOffs = new EnumMap<>(Map.of(Cause.SEND_TIMEOUT, new LongAdder(),
      Cause.BUFFERED, new LongAdder()));

  /** Why a client was cut off. */
  public enum Cause { SEND_TIMEOUT, BUFFERED }
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("seismo-api-stream-watchdog").daemon().factory());

  public OpenStreams(StreamSettings settings, LongSupplier nanoTime) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    long tick = Math.clamp(Math.min(settings.sendTimeout().toMillis(), settings.heartbeat().toMillis()) / 4, 10, 1000);
    watchdog.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
  }

  public StreamSettings settings() {
    return settings;
  }

  /** Streams admitted and not yet ended (the {@code seismo_api_streams_open} gauge). */
  public synchronized int open() {
    return total;
  }

  /** Clients cut off for {@code cause} since start (the {@code seismo_api_streams_cut_total} counter). */
  public long cutOffs(Cause cause) {
    return cutOffs.get(cause).sum();
  }

  /** A slot for one more stream of {@code caller}, or a 503 (instance full) / 429 (caller at its limit) problem. */
  public synchronized Lease admit(String caller) {
    checkAdmissible(caller);
    perCaller.merge(caller, 1, Integer::sum);
    total++;
    return new Lease(caller);
  }

  /** The problem {@link #admit} would throw now for {@code caller}, without taking a slot (HEAD). */
  public synchronized void checkAdmissible(String caller) {
    if (total >= settings.maxTotal()) {
      throw new ProblemException(503, "too-many-streams", "Too many streams",
          "this instance serves its maximum of " + settings.maxTotal() + " streams; retry later or on another instance",
          List.of(), Optional.of(RETRY_AFTER));
    }
    int mine = perCaller.getOrDefault(caller, 0);
    if (mine >= settings.maxPerCaller()) {
      throw new ProblemException(429, "too-many-streams", "Too many streams",
          "at most " + settings.maxPerCaller() + " concurrent streams per caller; close one first",
          List.of(), Optional.of(RETRY_AFTER));
    }
  }

  private synchronized void release(String caller) {
    perCaller.computeIfPresent(caller, (key, count) -> count <= 1 ? null : count - 1);
    total--;
  }

  /** An admitted stream's slot; closing it (once) frees the slot. */
  public final class Lease implements AutoCloseable {
    private final String caller;
    private boolean released;

    private Lease(String caller) {
      this.caller = caller;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      release(caller);
    }
  }

  /** Opens the watched writer of an admitted stream; {@code abort} must close the client's connection. */
  Connection connect(String apiId, OutputStream out, ChangeFeed.Subscription subscription, Runnable abort) {
    Connection connection = new Connection(apiId, out, subscription, abort, nanoTime.getAsLong());
    connections.add(connection);
    traffic.connected(apiId);
    return connection;
  }

  /** What this instance's stream sent for the API: totals since it started and each open client's share. */
  public StreamTraffic.Sent sent(String apiId) {
    List<StreamTraffic.Client> open = connections.stream().filter(connection -> connection.apiId.equals(apiId))
        .map(Connection::client).sorted(java.util.Comparator.comparing(StreamTraffic.Client::connectedAt)).toList();
    return traffic.of(apiId, open);
  }

  /** Bytes sent to all stream clients since the instance started. */
  public long sentBytes() {
    return traffic.bytes();
  }

  private void check() {
    long now = nanoTime.getAsLong();
    for (Connection connection : connections) {
      try {
        Cause cause = connection.stalled(now);
        if (cause != null) {
          connection.cutOff(cause, true);
        }
      } catch (RuntimeException e) {
        log.warn("stream watchdog error={}", e.toString());
      }
    }
  }

  private String reason(Cause cause) {
    return cause == Cause.SEND_TIMEOUT
        ? "a write waited more than " + settings.sendTimeout() + " for the client"
        : "more than " + settings.maxBufferedBytes() + " bytes or " + ChangeFeed.QUEUE_CAPACITY
            + " changes waiting for the client";
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    connections.forEach(Connection::shutdown);
  }

  /** The SSE writer of one stream: every write is timed by the watchdog. */
  final class Connection implements AutoCloseable {
    private final String apiId;
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

    private Connection(String apiId, OutputStream out, ChangeFeed.Subscription subscription, Runnable abort,
                       long openedAt) {
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
      return settings.maxAge().minusNanos(nanoTime.getAsLong() - openedAt);
    }

    private void write(String frame, boolean event) throws IOException {
      if (cutOff != null) {
        throw new IOException("stream cut off: " + cutOff);
      }
      byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
      writeStartedAt = nanoTime.getAsLong();
      writing = true;
      try {
        out.write(bytes);
        out.flush();
      } finally {
        writing = false;
      }
      eventsSent += event ? 1 : 0;
      bytesSent += bytes.length;
      traffic.sent(apiId, event, bytes.length);
      if (cutOff != null) {
        throw new IOException("stream cut off: " + cutOff);
      }
    }

    /** Why the client is to be cut off now (blocked in a write too long, or too much waiting for it), or null. */
    Cause stalled(long now) {
      if (!writing) {
        return null;
      }
      if (now - writeStartedAt > settings.sendTimeout().toNanos()) {
        return Cause.SEND_TIMEOUT;
      }
      return subscription.overflowed ? Cause.BUFFERED : null;
    }

    /**
     * Cuts the client off for {@code cause} (once: counted and logged), closing its connection under a blocked
     * write when {@code close}; without, the stream's own thread ends the response.
     */
    void cutOff(Cause cause, boolean close) {
      if (end(reason(cause))) {
        cutOffs.get(cause).increment();
        log.info("stream cut off apiId={} reason={}", subscription.apiId, cutOff);
        if (close) {
          closeConnection();
        }
      }
    }

    private void shutdown() {
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
      connections.remove(this);
    }
  }
}
