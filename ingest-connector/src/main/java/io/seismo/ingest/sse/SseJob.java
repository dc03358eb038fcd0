package io.seismo.ingest.sse;

import io.seismo.ingest.net.Failures;
import io.seismo.ingest.poll.LoggedHeaders;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.RequestHeaders;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Follows one API's Server-Sent Events stream for as long as it is registered: every event and every
 * lifecycle transition (OPEN, CLOSE, ERROR, HEARTBEAT_GAP) becomes an {@link SseEvent}. Reconnects
 * with exponential backoff and jitter, resuming with {@code Last-Event-ID}; when no byte (event or
 * comment) arrives within the idle timeout it records a heartbeat gap and reconnects. Streamdata.io
 * events ({@code data}, {@code patch}, {@code error}) are recorded as they come; the topology
 * interprets them. The server's {@code retry:} field (which okhttp-sse parses but does not expose; our
 * interceptor reads it from the bytes) sets the delay after a clean close and the floor of the
 * exponential backoff after failures; without it the delay is 1 s after a clean close.
 */
final class SseJob {

  private static final Duration RECONNECT_AFTER_CLOSE = Duration.ofSeconds(1);

  private final Registration registration;
  private final EventSource.Factory factory;
  private final AddressGuard guard;
  private final SecretResolver secrets;
  private final SseEventSink sink;
  private final ScheduledExecutorService timer;
  private final Duration idleTimeout;
  private final Duration maxBackoff;
  private final Clock clock;

  private final StreamWatch watch = new StreamWatch();
  private volatile boolean stopped;
  private volatile Connection current;
  private volatile String lastEventId;
  private volatile ScheduledFuture<?> reconnect;
  private ScheduledFuture<?> idleCheck;
  private volatile int consecutiveFailures;

  SseJob(Registration registration, okhttp3.OkHttpClient client, AddressGuard guard, SecretResolver secrets,
         SseEventSink sink, ScheduledExecutorService timer, Duration idleTimeout, Duration maxBackoff, Clock clock) {
    this(registration, client, guard, secrets, sink, timer, idleTimeout, maxBackoff, clock, null);
  }

  /** A job whose first connection resumes after event {@code lastEventId} (null: from the start). */
  SseJob(Registration registration, okhttp3.OkHttpClient client, AddressGuard guard, SecretResolver secrets,
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
    this.maxBackoff = maxBackoff;
    this.clock = clock;
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
    long period = Math.max(100, idleTimeout.toMillis() / 4);
    idleCheck = timer.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
    connect();
  }

  void stop() {
    stopped = true;
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    ScheduledFuture<?> pending = reconnect;
    if (pending != null) {
      pending.cancel(false);
    }
    Connection connection = current;
    if (connection != null) {
      connection.close("stopped");
    }
  }

  private synchronized void connect() {
    if (stopped) {
      return;
    }
    Connection connection = new Connection(UUID.randomUUID().toString().substring(0, 12));
    current = connection;
    try {
      HttpUrl url = HttpUrl.get(registration.getUrl());
      guard.checkLiteral(url.host());
      Request.Builder request = new Request.Builder().url(url)
          .header("Accept", "text/event-stream")
          .header("Cache-Control", "no-cache")
          .tag(StreamWatch.class, watch);
      RequestHeaders.apply(request::header, registration.getHeaders(), secrets);
      watch.lastActivityNanos.set(System.nanoTime());
      connection.source = factory.newEventSource(withLastEventId(request.build(), lastEventId), connection);
    } catch (SecretResolver.SecretException | RequestHeaders.UnsendableHeaderException e) {
      connection.failed(new SampleError(ErrorCategory.CONFIG, e.getMessage())); // names a header or variable, no value
    } catch (IllegalArgumentException e) {
      connection.failed(new SampleError(ErrorCategory.CONFIG, "bad request: " + Failures.describe(e)));
    } catch (IOException e) {
      connection.failed(Failures.sampleError(e));
    }
  }

  /**
   * The request with {@code Last-Event-ID} as browsers send it: the id's UTF-8 bytes (an id is any text
   * the upstream chose, not only ASCII, which OkHttp's checked setter refuses). An id with a control
   * character cannot be a header value: it is left out and the stream starts afresh.
   */
  static Request withLastEventId(Request request, String id) {
    if (id == null || id.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
      return request;
    }
    return request.newBuilder().headers(request.headers().newBuilder().removeAll("Last-Event-ID")
        .addUnsafeNonAscii("Last-Event-ID", id).build()).build();
  }

  private void checkIdle() {
    Connection connection = current;
    if (stopped || connection == null || !connection.open) {
      return;
    }
    long idleNanos = System.nanoTime() - watch.lastActivityNanos.get();
    if (idleNanos > idleTimeout.toNanos()) {
      sink.send(connection.ended(event(connection.id, SseEventKind.HEARTBEAT_GAP, null, lastEventId,
          "no event or comment for " + Duration.ofNanos(idleNanos).toMillis() + " ms (idle timeout "
              + idleTimeout.toMillis() + " ms)", 0,
          new SampleError(ErrorCategory.TIMEOUT, "heartbeat gap: no data for " + idleTimeout))));
      connection.close("heartbeat gap");
      scheduleReconnect(Duration.ZERO);
    }
  }

  private synchronized void scheduleReconnect(Duration delay) {
    if (stopped) {
      return;
    }
    long millis = delay.toMillis();
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, millis / 5 + 100));
    reconnect = timer.schedule(this::connect, millis + jitter, TimeUnit.MILLISECONDS);
  }

  /** After failures: exponential from 1 s, never below the server's {@code retry:} time, capped. */
  private Duration backoff() {
    int exponent = Math.min(consecutiveFailures, 16);
    long millis = Math.max(1000L << exponent, Math.max(0, watch.retryMillis.get()));
    return Duration.ofMillis(Math.min(maxBackoff.toMillis(), millis));
  }

  /** After a clean close: the server's {@code retry:} time when it sent one (capped), else 1 s. */
  private Duration afterClose() {
    long retry = watch.retryMillis.get();
    return retry < 0 ? RECONNECT_AFTER_CLOSE : Duration.ofMillis(Math.min(maxBackoff.toMillis(), retry));
  }

  private SseEvent.Builder event(String connectionId, SseEventKind kind, String type, String id, String data,
                                 long bytes, SampleError error) {
    return SseEvent.newBuilder()
        .setApiId(registration.getApiId())
        .setConnectionId(connectionId)
        .setKind(kind)
        .setEventType(type)
        .setEventId(id)
        .setData(data)
        .setBytes(bytes)
        .setReceivedAt(clock.instant())
        .setError(error);
  }

  /** One connection attempt; its callbacks are ignored once it is no longer the current one. */
  private final class Connection extends EventSourceListener {
    final String id;
    volatile EventSource source;
    volatile boolean open;
    volatile boolean closedByUs;
    private long events;          // written by OkHttp's reader thread of this connection only
    private long bytes;
    private volatile boolean opened;
    private volatile long openedNanos;

    Connection(String id) {
      this.id = id;
    }

    /** The event that ends this connection, with what it carried while it was open. */
    SseEvent ended(SseEvent.Builder event) {
      long openMs = opened ? Duration.ofNanos(System.nanoTime() - openedNanos).toMillis() : 0;
      return event.setConnectionEvents(events).setConnectionBytes(bytes).setConnectionMs(openMs).build();
    }

    private boolean isCurrent() {
      return current == this && !closedByUs && !stopped;
    }

    @Override
    public void onOpen(EventSource eventSource, Response response) {
      if (!isCurrent()) {
        return;
      }
      openedNanos = System.nanoTime();
      opened = true;
      open = true;
      consecutiveFailures = 0;
      sink.send(event(id, SseEventKind.OPEN, null, lastEventId, "HTTP " + response.code()
          + (lastEventId == null ? "" : ", resuming after event " + lastEventId), 0, null)
          .setHttpStatus(response.code())
          .setResponseHeaders(LoggedHeaders.received(response.headers()))
          .build());
    }

    @Override
    public void onEvent(EventSource eventSource, String eventId, String type, String data) {
      if (!isCurrent()) {
        return;
      }
      if (eventId != null && eventId.indexOf('\0') < 0) { // an id with NUL is ignored (WHATWG HTML 9.2.6)
        lastEventId = eventId;
      }
      String eventType = type == null ? "message" : type;
      long size = framedSize(eventId, type, data);
      events++;
      bytes += size;
      sink.send(event(id, SseEventKind.EVENT, eventType, eventId, data, size, null).build());
    }

    @Override
    public void onClosed(EventSource eventSource) {
      if (!isCurrent()) {
        return;
      }
      open = false;
      sink.send(ended(event(id, SseEventKind.CLOSE, null, lastEventId, "closed by the server", 0, null)));
      scheduleReconnect(afterClose());
    }

    @Override
    public void onFailure(EventSource eventSource, Throwable error, Response response) {
      if (!isCurrent()) {
        return;
      }
      open = false;
      SampleError sampleError;
      if (response != null && !response.isSuccessful()) {
        sampleError = new SampleError(ErrorCategory.HTTP_STATUS, "HTTP " + response.code() + " on the event stream");
      } else if (response != null && error instanceof IllegalStateException) {
        sampleError = new SampleError(ErrorCategory.PROTOCOL, "not an event stream: Content-Type "
            + response.header("Content-Type"));
      } else if (error != null) {
        sampleError = Failures.sampleError(error);
      } else {
        sampleError = new SampleError(ErrorCategory.PROTOCOL, "the event stream failed");
      }
      failed(sampleError);
    }

    void failed(SampleError error) {
      sink.send(ended(event(id, SseEventKind.ERROR, null, lastEventId, error.getMessage(), 0, error)));
      consecutiveFailures++;
      scheduleReconnect(backoff());
    }

    void close(String why) {
      closedByUs = true;
      open = false;
      EventSource eventSource = source;
      if (eventSource != null) {
        eventSource.cancel();
      }
    }
  }

  /** Size of the event as framed on the wire: "id: …\nevent: …\ndata: …\n" per data line, "\n". */
  static long framedSize(String id, String type, String data) {
    long size = 1;
    if (id != null) {
      size += 5 + id.getBytes(StandardCharsets.UTF_8).length;
    }
    if (type != null) {
      size += 8 + type.getBytes(StandardCharsets.UTF_8).length;
    }
    if (data != null) {
      for (String line : data.split("\n", -1)) {
        size += 7 + line.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return size;
  }
}
