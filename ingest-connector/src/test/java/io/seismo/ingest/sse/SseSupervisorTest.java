package io.seismo.ingest.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SseSupervisorTest {

  private final MockWebServer upstream = new MockWebServer();
  private final List<SseEvent> events = new CopyOnWriteArrayList<>();
  private HttpPoller poller;
  private SseSupervisor supervisor;

  @BeforeEach
  void start() throws Exception {
    upstream.start();
    supervisor = supervisor(AddressGuard.allowing(List.of("localhost", "127.0.0.0/8", "::1/128")));
  }

  private SseSupervisor supervisor(AddressGuard guard) {
    IngestConfig config = IngestConfig.from(new Settings(Map.of(
        "SEISMO_INGEST_SSE_IDLE_TIMEOUT", "700ms", "SEISMO_INGEST_MAX_BACKOFF", "2s")));
    poller = new HttpPoller(config, guard, SecretResolver.of(Map.of("SEISMO_SECRET_TOKEN", "s3cr3t")), Clock.systemUTC());
    return new SseSupervisor(config, poller.client(), guard, SecretResolver.of(Map.of("SEISMO_SECRET_TOKEN", "s3cr3t")), events::add);
  }

  @AfterEach
  void stop() throws Exception {
    supervisor.close();
    poller.close();
    upstream.close();
  }

  @Test
  void shouldRecordEventsAndResumeWithLastEventIdWhenServerCloses() throws Exception {
    upstream.enqueue(stream("event: data\nid: 41\ndata: {\"a\":1}\n\nevent: patch\nid: 42\n"
        + "data: [{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]\n\n"));
    upstream.enqueue(stream("event: patch\nid: 43\ndata: []\n\n"));

    supervisor.apply("api", registration(Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_TOKEN}")));

    await().atMost(Duration.ofSeconds(10)).until(() -> kinds().contains(SseEventKind.EVENT) && events.stream()
        .anyMatch(e -> "43".equals(e.getEventId()) && e.getKind() == SseEventKind.EVENT));
    RecordedRequest first = upstream.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = upstream.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(first.getHeaders().get("Last-Event-ID")).isNull();
    assertThat(second.getHeaders().get("Last-Event-ID")).isEqualTo("42");
    SseEvent data = events.stream().filter(e -> "41".equals(e.getEventId()) && e.getKind() == SseEventKind.EVENT)
        .findFirst().orElseThrow();
    assertThat(data.getEventType()).isEqualTo("data");
    assertThat(data.getData()).isEqualTo("{\"a\":1}");
    assertThat(data.getBytes()).isEqualTo("id: 41\nevent: data\ndata: {\"a\":1}\n\n".length());
    assertThat(kinds()).startsWith(SseEventKind.OPEN).contains(SseEventKind.CLOSE);
    assertThat(events.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void shouldSayWhatEachConnectionCarriedWhenItOpensAndEnds() {
    String firstEvents = "event: data\nid: 41\ndata: {\"a\":1}\n\nevent: patch\nid: 42\ndata: []\n\n";
    upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .addHeader("Set-Cookie", "session=abc123").addHeader("X-Served-By", "edge-7").body(firstEvents).build());
    upstream.enqueue(stream("event: patch\nid: 43\ndata: []\n\n"));

    supervisor.apply("api", registration(Map.of()));

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(e -> e.getKind() == SseEventKind.OPEN).count() >= 2);
    SseEvent open = events.stream().filter(e -> e.getKind() == SseEventKind.OPEN).findFirst().orElseThrow();
    assertThat(open.getHttpStatus()).isEqualTo(200);
    assertThat(open.getEventId()).isNull();
    assertThat(open.getResponseHeaders()).extracting(h -> h.getName() + ": " + h.getValue())
        .contains("X-Served-By: edge-7", "Set-Cookie: <redacted>");
    SseEvent close = events.stream().filter(e -> e.getKind() == SseEventKind.CLOSE).findFirst().orElseThrow();
    assertThat(close.getConnectionId()).isEqualTo(open.getConnectionId());
    assertThat(close.getConnectionEvents()).isEqualTo(2);
    assertThat(close.getConnectionBytes()).isEqualTo(firstEvents.length());
    assertThat(close.getEventId()).isEqualTo("42");
    SseEvent resumed = events.stream().filter(e -> e.getKind() == SseEventKind.OPEN).skip(1).findFirst().orElseThrow();
    assertThat(resumed.getEventId()).isEqualTo("42");
    assertThat(resumed.getConnectionId()).isNotEqualTo(open.getConnectionId());
  }

  @Test
  void shouldRecordHeartbeatGapAndReconnectWhenStreamGoesQuiet() {
    upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body("event: data\nid: 1\ndata: {}\n\n" + " ".repeat(200)).throttleBody(28, 5, TimeUnit.SECONDS).build());
    upstream.enqueue(stream("event: data\nid: 2\ndata: {}\n\n"));

    supervisor.apply("api", registration(Map.of()));

    await().atMost(Duration.ofSeconds(10)).until(() -> kinds().contains(SseEventKind.HEARTBEAT_GAP)
        && events.stream().anyMatch(e -> "2".equals(e.getEventId()) && e.getKind() == SseEventKind.EVENT));
    SseEvent gap = events.stream().filter(e -> e.getKind() == SseEventKind.HEARTBEAT_GAP).findFirst().orElseThrow();
    assertThat(gap.getError().getCategory()).isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(gap.getConnectionEvents()).isEqualTo(1);
    assertThat(gap.getEventId()).isEqualTo("1");
    assertThat(gap.getConnectionMs()).isGreaterThanOrEqualTo(700);
  }

  @Test
  void shouldRecordErrorsWithCategoryForBadStatusAndContentType() {
    upstream.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body("{}").build());

    supervisor.apply("api", registration(Map.of()));

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(e -> e.getKind() == SseEventKind.ERROR).count() >= 2);
    List<SseEvent> errors = events.stream().filter(e -> e.getKind() == SseEventKind.ERROR).toList();
    assertThat(errors.get(0).getError().getCategory()).isEqualTo(ErrorCategory.HTTP_STATUS);
    assertThat(errors.get(1).getError().getCategory()).isEqualTo(ErrorCategory.PROTOCOL);
    assertThat(errors.get(1).getError().getMessage()).contains("application/json");
  }

  @Test
  void shouldSurviveGarbageFramesAndKeepReconnecting() {
    byte[] garbage = new byte[4096];
    new Random(3).nextBytes(garbage);
    upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(new okio.Buffer().write(garbage).writeUtf8("\nno colon here\n:comment\nid\nevent: data\ndata: {}\n\n")).build());
    upstream.enqueue(stream("event: data\nid: after-garbage\ndata: {\"ok\":true}\n\n"));

    supervisor.apply("api", registration(Map.of()));

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
        .anyMatch(e -> "after-garbage".equals(e.getEventId()) && e.getKind() == SseEventKind.EVENT));
    assertThat(supervisor.running()).containsExactly("api");
  }

  /**
   * A campaign of 1,000 malformed frames — random bytes, invalid UTF-8, lines without a colon, 64 KB
   * lines, bad retry values, NULs in ids, CR-only line ends, huge event names, a BOM, truncated JSON —
   * over 10 connections, each ending with a valid event: the parser recovers after every batch (each
   * valid event is recorded), the job keeps reconnecting and keeps running.
   */
  @Test
  void shouldRecoverAfterEveryBatchOfAThousandMalformedFrames() {
    Random random = new Random(11);
    int connections = 10;
    int framesPerConnection = 100;
    for (int c = 0; c < connections; c++) {
      okio.Buffer body = new okio.Buffer();
      for (int f = 0; f < framesPerConnection; f++) {
        malformedFrame(random, f % 10, body);
      }
      body.writeUtf8("\n\nevent: data\nid: sentinel-" + c + "\ndata: {\"batch\":" + c + "}\n\n");
      upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(body).build());
    }

    supervisor.apply("api", registration(Map.of()));

    await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, connections).allMatch(c ->
        events.stream().anyMatch(e -> e.getKind() == SseEventKind.EVENT && ("sentinel-" + c).equals(e.getEventId())
            && ("{\"batch\":" + c + "}").equals(e.getData()))));
    assertThat(supervisor.running()).containsExactly("api");
    assertThat(events.stream().filter(e -> e.getKind() == SseEventKind.OPEN).count()).isGreaterThanOrEqualTo(connections);
  }

  private static void malformedFrame(Random random, int kind, okio.Buffer out) {
    switch (kind) {
      case 0 -> {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        out.write(bytes).writeUtf8("\n\n");
      }
      case 1 -> out.writeUtf8("event: data\ndata: ").write(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xF0, 0x28})
          .writeUtf8("\n\n");
      case 2 -> out.writeUtf8("x".repeat(1 + random.nextInt(500))).writeUtf8("\n\n");
      case 3 -> out.writeUtf8("data: ").writeUtf8("y".repeat(64 * 1024)).writeUtf8("\n\n");
      case 4 -> out.writeUtf8(List.of("retry: soon\n", "retry: -5\n", "retry: 99999999999999999999\n").get(random.nextInt(3)))
          .writeUtf8("data: r\n\n");
      case 5 -> out.writeUtf8("id: a\u0000b\ndata: nul\n\n");
      case 6 -> out.writeUtf8("event: patch\rdata: [\rid: cr\r\r");
      case 7 -> out.writeUtf8("event: ").writeUtf8("e".repeat(10_000)).writeUtf8("\ndata: long name\n\n");
      case 8 -> out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).writeUtf8("data: bom\n\n");
      default -> out.writeUtf8("event: patch\ndata: [{\"op\":\n\n");
    }
  }

  @Test
  void shouldWaitTheServersRetryTimeBeforeReconnectingAfterAClose() {
    // 1.8 s: longer than the 1 s (+ at most 0.3 s jitter) used without it, within the test's 2 s cap
    upstream.enqueue(stream("retry: 1800\n\nevent: data\nid: one\ndata: {}\n\n"));
    upstream.enqueue(stream("event: data\nid: two\ndata: {}\n\n"));

    supervisor.apply("api", registration(Map.of()));

    await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(e -> e.getKind() == SseEventKind.OPEN).count() >= 2);
    List<Instant> opens = events.stream().filter(e -> e.getKind() == SseEventKind.OPEN)
        .map(SseEvent::getReceivedAt).toList();
    assertThat(Duration.between(opens.get(0), opens.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1790));
  }

  @Test
  void shouldRecordAFixedConfigErrorWithoutTheValueWhenAHeaderValueHasAControlChar() {
    supervisor.apply("api", registration(Map.of("X-Key", "s3cr3t\u0001tail")));

    await().atMost(Duration.ofSeconds(5)).until(() -> kinds().contains(SseEventKind.ERROR));
    SseEvent error = events.stream().filter(e -> e.getKind() == SseEventKind.ERROR).findFirst().orElseThrow();
    assertThat(error.getError().getCategory()).isEqualTo(ErrorCategory.CONFIG);
    assertThat(error.getError().getMessage()).isEqualTo("header 'X-Key' cannot be sent: its value contains a control "
        + "or non-ASCII character (value not shown); fix the registration or the ${env:...} secret it references");
    assertThat(events.toString()).doesNotContain("s3cr3t");
    assertThat(upstream.getRequestCount()).isZero();
  }

  @Test
  void shouldRefuseBlockedAddressWithoutAnyRequest() {
    supervisor.close();
    supervisor = supervisor(AddressGuard.strict());

    supervisor.apply("api", registration(Map.of()));

    await().atMost(Duration.ofSeconds(5)).until(() -> kinds().contains(SseEventKind.ERROR));
    assertThat(events.getFirst().getError().getCategory()).isEqualTo(ErrorCategory.BLOCKED);
    assertThat(upstream.getRequestCount()).isZero();
  }

  @Test
  void shouldStopStreamingWhenRegistrationStops() {
    upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body("event: data\nid: 1\ndata: {}\n\n" + " ".repeat(100)).throttleBody(28, 1, TimeUnit.SECONDS).build());
    supervisor.apply("api", registration(Map.of()));
    await().atMost(Duration.ofSeconds(5)).until(() -> kinds().contains(SseEventKind.EVENT));

    supervisor.apply("api", null);

    assertThat(supervisor.running()).isEmpty();
  }

  private List<SseEventKind> kinds() {
    return events.stream().map(SseEvent::getKind).toList();
  }

  private Registration registration(Map<String, String> headers) {
    return Registration.newBuilder().setApiId("api").setUrl(upstream.url("/stream").toString())
        .setMode(ApiMode.SSE).setHeaders(headers).build();
  }

  private static MockResponse stream(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(body).build();
  }
}
