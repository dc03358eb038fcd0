package io.seismo.ingest.sse;

import io.seismo.ingest.net.Failures;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.RequestHeaders;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.SseEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Follows one API's Server-Sent Events stream for as long as it is registered, reconnecting with
 * backoff and resuming with {@code Last-Event-ID}; see docs/architecture.md ("SSE jobs").
 */
final class SseJob {

  private final Registration registration;
  private final EventSource.Factory factory;
  private final AddressGuard guard;
  private final SecretResolver secrets;
  private final SseEventSink sink;
  private final ScheduledExecutorService timer;
  private final Duration idleTimeout;
  private final SseRecords records;
  private final StreamWatch watch = new StreamWatch();
  private final ReconnectDelays delays;
  private final HeartbeatMonitor heartbeat;

  private volatile boolean stopped;
  private volatile Connection current;
  private volatile String lastEventId;
  private volatile ScheduledFuture<?> reconnect;
  private volatile int consecutiveFailures;

  SseJob(Registration registration, OkHttpClient client, AddressGuard guard, SecretResolver secrets,
         SseEventSink sink, ScheduledExecutorService timer, Duration idleTimeout, Duration maxBackoff, Clock clock) {
    this(registration, client, guard, secrets, sink, timer, idleTimeout, maxBackoff, clock, null);
  }

  /** A job whose first connection resumes after event {@code lastEventId} (null: from the start). */
  SseJob(Registration registration, OkHttpClient client, AddressGuard guard, SecretResolver secrets,
         SseEventSink sink, ScheduledExecutorService timer, Duration idleTimeout, Duration maxBackoff, Clock clock,
         String lastEventId) {
    this.lastEventId = lastEventId;
    this.registration = registration;
    this.factory = EventSources.createFactory(client);
    this.guard = guard;
    this.secrets = secrets;
    this.sink = sink;
    this.timer = timer;
    this.idleTimeout = idleTimeout;
    this.records = new SseRecords(registration.getApiId(), clock);
    this.delays = new ReconnectDelays(watch, maxBackoff);
    this.heartbeat = new HeartbeatMonitor(timer, watch, idleTimeout, this::heartbeatGap);
  }

  Registration registration() {
    return registration;
  }

  /** For /metrics: whether the stream is open now, and the failures since it last was. */
  boolean open() {
    Connection connection = current;
    return connection != null && connection.open;
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }

  void start() {
    heartbeat.start();
    connect();
  }

  void stop() {
    stopped = true;
    heartbeat.stop();
    ScheduledFuture<?> pending = reconnect;
    if (pending != null) {
      pending.cancel(false);
    }
    Connection connection = current;
    if (connection != null) {
      connection.close();
    }
  }

  private synchronized void connect() {
    if (stopped) {
      return;
    }
    Connection connection = new Connection(UUID.randomUUID().toString().substring(0, 12));
    current = connection;
    try {
      Request request = StreamRequest.of(registration, guard, secrets, watch, lastEventId);
      heartbeat.reset();
      connection.source = factory.newEventSource(request, connection);
    } catch (SecretResolver.SecretException | RequestHeaders.UnsendableHeaderException e) {
      connection.failed(new SampleError(ErrorCategory.CONFIG, e.getMessage())); // names a header or variable, no value
    } catch (IllegalArgumentException e) {
      connection.failed(new SampleError(ErrorCategory.CONFIG, "bad request: " + Failures.describe(e)));
    } catch (IOException e) {
      connection.failed(Failures.sampleError(e));
    }
  }

  private void heartbeatGap(long idleNanos) {
    Connection connection = current;
    if (stopped || connection == null || !connection.open) {
      return;
    }
    sink.send(connection.log.heartbeatGap(lastEventId, idleNanos, idleTimeout));
    connection.close();
    scheduleReconnect(Duration.ZERO);
  }

  private synchronized void scheduleReconnect(Duration delay) {
    if (stopped) {
      return;
    }
    reconnect = timer.schedule(this::connect, ReconnectDelays.jitteredMillis(delay), TimeUnit.MILLISECONDS);
  }

  /** One connection attempt; its callbacks are ignored once it is no longer the current one. */
  private final class Connection extends EventSourceListener {
    final ConnectionLog log;
    volatile EventSource source;
    volatile boolean open;
    volatile boolean closedByUs;

    Connection(String id) {
      this.log = new ConnectionLog(id, records);
    }

    private boolean isCurrent() {
      return current == this && !closedByUs && !stopped;
    }

    @Override
    public void onOpen(EventSource eventSource, Response response) {
      if (!isCurrent()) {
        return;
      }
      SseEvent opened = log.opened(response, lastEventId);
      open = true;
      consecutiveFailures = 0;
      sink.send(opened);
    }

    @Override
    public void onEvent(EventSource eventSource, String eventId, String type, String data) {
      if (!isCurrent()) {
        return;
      }
      if (eventId != null && eventId.indexOf('\0') < 0) { // an id with NUL is ignored (WHATWG HTML 9.2.6)
        lastEventId = eventId;
      }
      sink.send(log.event(eventId, type, data));
    }

    @Override
    public void onClosed(EventSource eventSource) {
      if (!isCurrent()) {
        return;
      }
      open = false;
      sink.send(log.closed(lastEventId));
      scheduleReconnect(delays.afterClose());
    }

    @Override
    public void onFailure(EventSource eventSource, Throwable error, Response response) {
      if (!isCurrent()) {
        return;
      }
      open = false;
      failed(SseRecords.failure(error, response));
    }

    void failed(SampleError error) {
      sink.send(log.failed(lastEventId, error));
      consecutiveFailures++;
      scheduleReconnect(delays.afterFailures(consecutiveFailures));
    }

    void close() {
      closedByUs = true;
      open = false;
      EventSource eventSource = source;
      if (eventSource != null) {
        eventSource.cancel();
      }
    }
  }
}
