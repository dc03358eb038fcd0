package io.seismo.api.stream;

import java.io.OutputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * The open {@code /stream} connections of this instance: their admission ({@link StreamAdmission}) and a
 * watchdog that cuts off a client that does not take what it is sent.
 */
public final class OpenStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

  private final StreamSettings settings;
  private final LongSupplier nanoTime;
  private final StreamAdmission admission;
  private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
  final StreamTraffic traffic = new StreamTraffic(Instant.now());
  private final Map<Cause, LongAdder> cutOffs = new EnumMap<>(Map.of(Cause.SEND_TIMEOUT, new LongAdder(),
      Cause.BUFFERED, new LongAdder()));

  /** Why a client was cut off. */
  public enum Cause { SEND_TIMEOUT, BUFFERED }
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("seismo-api-stream-watchdog").daemon().factory());

  public OpenStreams(StreamSettings settings, LongSupplier nanoTime) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.admission = new StreamAdmission(settings);
    long tick = Math.clamp(Math.min(settings.sendTimeout().toMillis(), settings.heartbeat().toMillis()) / 4, 10, 1000);
    watchdog.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
  }

  public StreamSettings settings() {
    return settings;
  }

  /** Streams admitted and not yet ended (the {@code seismo_api_streams_open} gauge). */
  public int open() {
    return admission.open();
  }

  /** Clients cut off for {@code cause} since start (the {@code seismo_api_streams_cut_total} counter). */
  public long cutOffs(Cause cause) {
    return cutOffs.get(cause).sum();
  }

  /** A slot for one more stream of {@code caller}, or a 503 (instance full) / 429 (caller at its limit) problem. */
  StreamAdmission.Lease admit(String caller) {
    return admission.admit(caller);
  }

  /** The problem {@link #admit} would throw now for {@code caller}, without taking a slot (HEAD). */
  void checkAdmissible(String caller) {
    admission.checkAdmissible(caller);
  }

  /** Opens the watched writer of an admitted stream; {@code abort} must close the client's connection. */
  StreamConnection connect(String apiId, OutputStream out, ChangeFeed.Subscription subscription, Runnable abort) {
    StreamConnection connection = new StreamConnection(this, apiId, out, subscription, abort, nanoTime.getAsLong());
    connections.add(connection);
    traffic.connected(apiId);
    return connection;
  }

  /** What this instance's stream sent for the API: totals since it started and each open client's share. */
  public StreamTraffic.Sent sent(String apiId) {
    List<StreamTraffic.Client> open = connections.stream().filter(connection -> connection.apiId.equals(apiId))
        .map(StreamConnection::client).sorted(Comparator.comparing(StreamTraffic.Client::connectedAt)).toList();
    return traffic.of(apiId, open);
  }

  /** Bytes sent to all stream clients since the instance started. */
  public long sentBytes() {
    return traffic.bytes();
  }

  private void check() {
    long now = nanoTime.getAsLong();
    for (StreamConnection connection : connections) {
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

  String reason(Cause cause) {
    return cause == Cause.SEND_TIMEOUT
        ? "a write waited more than " + settings.sendTimeout() + " for the client"
        : "more than " + settings.maxBufferedBytes() + " bytes or " + ChangeFeed.QUEUE_CAPACITY
            + " changes waiting for the client";
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    connections.forEach(StreamConnection::shutdown);
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  void countCutOff(Cause cause) {
    cutOffs.get(cause).increment();
  }

  void closed(StreamConnection connection) {
    connections.remove(connection);
  }
}
