package io.seismo.ingest.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event streams that are legal but odd, from a JDK HttpServer upstream. */
class SseOddStreamsTest {

  private final List<SseEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private HttpServer upstream;
  private HttpPoller poller;
  private SseSupervisor supervisor;

  @BeforeEach
  void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    upstream.createContext("/stream", exchange -> {
      try (exchange) {
        int n = connections.getAndIncrement();
        String sent = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        // the JDK server reads header bytes as ISO-8859-1; a client sends UTF-8, as browsers do
        lastEventIds.add(sent == null ? "(none)" : new String(sent.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        byte[] body = bodies.get(Math.min(n, bodies.size() - 1)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    upstream.start();
    IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_INGEST_MAX_BACKOFF", "2s")));
    AddressGuard guard = AddressGuard.allowing(List.of("127.0.0.0/8"));
    poller = new HttpPoller(config, guard, SecretResolver.of(Map.of()), Clock.systemUTC());
    supervisor = new SseSupervisor(config, poller.client(), guard, SecretResolver.of(Map.of()), events::add);
  }

  @AfterEach
  void stop() {
    supervisor.close();
    poller.close();
    upstream.stop(0);
  }

  @Test
  void shouldResumeWhenTheLastEventIdIsNotAscii() {
    bodies.add("id: \u00e9v\u00e9nement-1\nevent: data\ndata: {\"a\":1}\n\n"); // ids are any UTF-8 text
    bodies.add("id: 2\nevent: data\ndata: {\"a\":2}\n\n");

    supervisor.apply("api", Registration.newBuilder().setApiId("api")
        .setUrl("http://127.0.0.1:" + upstream.getAddress().getPort() + "/stream").setMode(ApiMode.SSE).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> e.getKind() == SseEventKind.EVENT && "2".equals(e.getEventId()))
        || events.stream().anyMatch(e -> e.getKind() == SseEventKind.ERROR));
    assertThat(events.stream().filter(e -> e.getKind() == SseEventKind.ERROR).map(SseEvent::getData).toList())
        .isEqualTo(List.of());
    assertThat(lastEventIds.subList(0, 2)).isEqualTo(List.of("(none)", "\u00e9v\u00e9nement-1"));
  }

  @Test
  void shouldKeepTheLastIdWithoutNulWhenAnEventIdContainsNul() {
    bodies.add("id: ok-1\nevent: data\ndata: {}\n\nid: bad\u0000id\nevent: data\ndata: {}\n\n");
    bodies.add("id: 2\nevent: data\ndata: {}\n\n");

    supervisor.apply("api", Registration.newBuilder().setApiId("api")
        .setUrl("http://127.0.0.1:" + upstream.getAddress().getPort() + "/stream").setMode(ApiMode.SSE).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> e.getKind() == SseEventKind.EVENT && "2".equals(e.getEventId()))
        || events.stream().anyMatch(e -> e.getKind() == SseEventKind.ERROR));
    assertThat(events.stream().filter(e -> e.getKind() == SseEventKind.ERROR).map(SseEvent::getData).toList())
        .isEqualTo(List.of());
    assertThat(lastEventIds.subList(0, 2)).isEqualTo(List.of("(none)", "ok-1")); // WHATWG: an id with NUL is ignored
  }
}
