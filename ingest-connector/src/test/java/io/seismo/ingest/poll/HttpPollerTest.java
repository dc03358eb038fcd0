package io.seismo.ingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.HttpHeader;
import io.seismo.schemas.PhaseTimings;
import io.seismo.schemas.PollResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpPollerTest {

  private final MockWebServer upstream = new MockWebServer();
  private HttpPoller poller;

  @BeforeEach
  void start() throws Exception {
    upstream.start();
    IngestConfig config = IngestConfig.from(new Settings(Map.of(
        "SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
        "SEISMO_INGEST_MAX_BODY_BYTES", "4096",
        "SEISMO_INGEST_READ_TIMEOUT", "1s")));
    poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of("SEISMO_SECRET_TOKEN", "s3cr3t")),
        Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    poller.close();
    upstream.close();
  }

  @Test
  void shouldRecordBodySizesAndValidatorsWhenUpstreamAnswersJson() throws Exception {
    String json = "{\"temperature\":21.5}";
    upstream.enqueue(new MockResponse.Builder().code(200).body(json)
        .addHeader("Content-Type", "application/json").addHeader("ETag", "\"v1\"").build());

    PollResult result = poll(null, Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_TOKEN}"));

    assertThat(result.getError()).isNull();
    assertThat(result.getHttpStatus()).isEqualTo(200);
    assertThat(result.getBodyBytes()).isEqualTo(json.length());
    assertThat(result.getWireBodyBytes()).isEqualTo(json.length());
    assertThat(result.getHeaderBytes()).isGreaterThan(20);
    assertThat(result.getEtag()).isEqualTo("\"v1\"");
    assertThat(StandardCharsets.UTF_8.decode(result.getBody()).toString()).isEqualTo(json);
    RecordedRequest request = upstream.takeRequest();
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(result.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void shouldSendValidatorsAndMarkNotModifiedWhenUpstreamAnswers304() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(304).addHeader("ETag", "\"v1\"").build());

    PollResult result = poll("\"v1\"", Map.of());

    assertThat(upstream.takeRequest().getHeaders().get("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(result.getNotModified()).isTrue();
    assertThat(result.getError()).isNull();
    assertThat(result.getBodyBytes()).isZero();
  }

  @Test
  void shouldCountCompressedAndDecodedBytesWhenBodyIsGzipped() throws Exception {
    String json = "{\"items\":[" + "1,".repeat(500) + "1]}";
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(json.getBytes(StandardCharsets.UTF_8));
    }
    upstream.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Encoding", "gzip")
        .body(new Buffer().write(compressed.toByteArray())).build());

    PollResult result = poll(null, Map.of());

    assertThat(result.getBodyBytes()).isEqualTo(json.length());
    assertThat(result.getWireBodyBytes()).isEqualTo(compressed.size()).isLessThan(json.length());
  }

  @Test
  void shouldRecordTruncatedBodyWithRealSizeWhenBodyExceedsLimit() throws Exception {
    String big = "x".repeat(10_000);
    upstream.enqueue(new MockResponse.Builder().code(200).body(big).build());

    PollResult result = poll(null, Map.of());

    assertThat(result.getTruncated()).isTrue();
    assertThat(result.getBody().remaining()).isEqualTo(4096);
    assertThat(result.getBodyBytes()).isEqualTo(10_000);
    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.TOO_LARGE);
  }

  @Test
  void shouldReportHttpStatusAndRetryAfterWhenRateLimited() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").body("slow down").build());

    HttpPoller.Polled polled = poller.poll(request(null, Map.of()));

    assertThat(polled.result().getError().getCategory()).isEqualTo(ErrorCategory.HTTP_STATUS);
    assertThat(polled.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void shouldBlockLoopbackWhenNotAllowlisted() throws Exception {
    IngestConfig strict = IngestConfig.from(new Settings(Map.of()));
    HttpPoller guarded = new HttpPoller(strict, AddressGuard.strict(), SecretResolver.of(Map.of()), Clock.systemUTC());
    try {
      PollResult byName = guarded.poll(new HttpPoller.PollRequest("a", 1, upstream.url("/").toString(), Map.of(), null, null)).result();
      PollResult byIp = guarded.poll(new HttpPoller.PollRequest("a", 2,
          "http://127.0.0.1:" + upstream.getPort() + "/", Map.of(), null, null)).result();
      PollResult metadata = guarded.poll(new HttpPoller.PollRequest("a", 3,
          "http://169.254.169.254/latest/meta-data/", Map.of(), null, null)).result();

      assertThat(byName.getError().getCategory()).isEqualTo(ErrorCategory.BLOCKED);
      assertThat(byIp.getError().getCategory()).isEqualTo(ErrorCategory.BLOCKED);
      assertThat(metadata.getError().getCategory()).isEqualTo(ErrorCategory.BLOCKED);
      assertThat(upstream.getRequestCount()).isZero();
    } finally {
      guarded.close();
    }
  }

  @Test
  void shouldBlockARedirectToAPrivateAddress() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "http://10.0.0.1/internal").build());

    PollResult result = poll(null, Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_TOKEN}"));

    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.BLOCKED);
    assertThat(result.getError().getMessage()).contains("10.0.0.1");
    assertThat(upstream.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldNeverPutResolvedSecretsInTheRecord() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(500).body("{\"error\":\"unauthorized\"}").build());

    PollResult result = poll(null, Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_TOKEN}"));

    byte[] record = io.seismo.schemas.topic.Topics.RAW_POLLS.valueSerde().serializer().serialize("t", result);
    String recordText = new String(record, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(upstream.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer s3cr3t"); // it was sent
    assertThat(recordText).doesNotContain("s3cr3t");                                                  // not recorded
  }

  @Test
  void shouldReportMissingSecretAsConfigErrorWithoutCallingUpstream() {
    PollResult result = poll(null, Map.of("Authorization", "${env:SEISMO_SECRET_MISSING}"));

    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.CONFIG);
    assertThat(result.getError().getMessage()).contains("MISSING");
    assertThat(upstream.getRequestCount()).isZero();
  }

  @Test
  void shouldRecordAFixedConfigErrorWithoutTheSecretWhenAResolvedSecretHasAControlOrNonAsciiChar() throws Exception {
    HttpPoller leaky = new HttpPoller(IngestConfig.from(new Settings(Map.of(
        "SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128"))), AddressGuard.allowing(
        java.util.List.of("localhost", "127.0.0.0/8", "::1/128")),
        SecretResolver.of(Map.of("SEISMO_SECRET_CTRL", "s3cr3t\u0007tail", "SEISMO_SECRET_UTF", "s3cr3t-\u00e9t\u00e9")),
        Clock.systemUTC());
    try {
      for (String name : java.util.List.of("SEISMO_SECRET_CTRL", "SEISMO_SECRET_UTF")) {
        PollResult result = leaky.poll(new HttpPoller.PollRequest("api", 1, upstream.url("/data").toString(),
            Map.of("X-Key", "k=${env:" + name + "}"), null, null)).result();

        byte[] record = io.seismo.schemas.topic.Topics.RAW_POLLS.valueSerde().serializer().serialize("t", result);
        assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.CONFIG);
        assertThat(result.getError().getMessage()).isEqualTo("header 'X-Key' cannot be sent: its value contains a "
            + "control or non-ASCII character (value not shown); fix the registration or the ${env:...} secret it references");
        assertThat(new String(record, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
        assertThat(new String(record, StandardCharsets.UTF_8)).doesNotContain("s3cr3t");
      }
      PollResult literal = leaky.poll(new HttpPoller.PollRequest("api", 1, upstream.url("/data").toString(),
          Map.of("X-Key", "s3cr3t\u00ff"), null, null)).result();
      assertThat(literal.getError().getMessage()).startsWith("header 'X-Key' cannot be sent").doesNotContain("s3cr3t");
      assertThat(upstream.getRequestCount()).isZero();
    } finally {
      leaky.close();
    }
  }

  @Test
  void shouldRefuseASecretNameOutsideTheAllowlistWithoutCallingUpstream() throws Exception {
    HttpPoller exposed = new HttpPoller(IngestConfig.from(new Settings(Map.of())),
        AddressGuard.allowing(java.util.List.of("localhost", "127.0.0.0/8", "::1/128")),
        SecretResolver.of(Map.of("SEISMO_NOTIFY_SECRET", "whsec_n0tify")), Clock.systemUTC());
    try {
      PollResult result = exposed.poll(new HttpPoller.PollRequest("api", 1, upstream.url("/data").toString(),
          Map.of("X-Steal", "${env:SEISMO_NOTIFY_SECRET}"), null, null)).result();

      assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.CONFIG);
      assertThat(result.getError().getMessage()).isEqualTo("header references ${env:SEISMO_NOTIFY_SECRET}, which is"
          + " not an allowed secret name: SEISMO_SECRET_ENV_ALLOW allows SEISMO_SECRET_*");
      assertThat(upstream.getRequestCount()).isZero();
    } finally {
      exposed.close();
    }
  }

  @Test
  void shouldReportConnectErrorWhenNothingListens() throws Exception {
    int port = upstream.getPort();
    upstream.close();

    PollResult result = poller.poll(new HttpPoller.PollRequest("a", 1, "http://127.0.0.1:" + port + "/", Map.of(), null, null)).result();

    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.CONNECT);
  }

  @Test
  void shouldStopAfterMaxRedirects() {
    for (int i = 0; i < 10; i++) {
      upstream.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/again").build());
    }

    PollResult result = poll(null, Map.of());

    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.PROTOCOL);
    assertThat(result.getError().getMessage()).contains("more than 5 redirects");
    assertThat(upstream.getRequestCount()).isEqualTo(6);
  }

  @Test
  void shouldLogHeadersSentAndReceivedWithoutCredentialsWhenPolled() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(200).body("{}")
        .addHeader("Content-Type", "application/json").addHeader("X-Request-Id", "r-1")
        .addHeader("Set-Cookie", "session=abc123").addHeader("X-Long", "x".repeat(1000)).build());

    PollResult result = poll("\"v0\"", Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_TOKEN}",
        "X-Api-Key", "literal-k3y", "X-Trace", "t-${env:SEISMO_SECRET_TOKEN}", "X-Plain", "hello"));

    Map<String, String> sent = asMap(result.getRequestHeaders());
    assertThat(sent).containsEntry("Authorization", "Bearer ${env:SEISMO_SECRET_TOKEN}") // a reference hides nothing
        .containsEntry("X-Api-Key", LoggedHeaders.REDACTED)
        .containsEntry("X-Trace", "t-${env:SEISMO_SECRET_TOKEN}")
        .containsEntry("X-Plain", "hello")
        .containsEntry("If-None-Match", "\"v0\"")
        .containsEntry("Accept-Encoding", "gzip");
    Map<String, String> received = asMap(result.getResponseHeaders());
    assertThat(received).containsEntry("X-Request-Id", "r-1").containsEntry("Set-Cookie", LoggedHeaders.REDACTED);
    assertThat(received.get("X-Long")).hasSize(LoggedHeaders.MAX_VALUE_LENGTH).endsWith("…");
    assertThat(upstream.takeRequest().getHeaders().get("X-Trace")).isEqualTo("t-s3cr3t");
    assertThat(result.toString()).doesNotContain("s3cr3t").doesNotContain("abc123").doesNotContain("literal-k3y");
  }

  @Test
  void shouldSplitTimingsIntoPhasesAndSkipTheConnectWhenTheConnectionIsReused() throws Exception {
    upstream.enqueue(new MockResponse.Builder().body("{}").headersDelay(300, TimeUnit.MILLISECONDS).build());
    upstream.enqueue(new MockResponse.Builder().body("{}").build());

    PollResult first = poll(null, Map.of());
    PollResult second = poll(null, Map.of());

    PhaseTimings cold = first.getTimings();
    assertThat(cold.getDnsMs()).isBetween(0L, first.getLatencyMs());
    assertThat(cold.getConnectMs()).isBetween(0L, first.getLatencyMs());
    assertThat(cold.getTlsMs()).isEqualTo(-1);        // plain HTTP: no handshake
    assertThat(cold.getFirstByteMs()).isBetween(300L, first.getLatencyMs());
    assertThat(cold.getDownloadMs()).isBetween(0L, first.getLatencyMs() - 300);
    PhaseTimings warm = second.getTimings();
    assertThat(warm.getDnsMs()).isEqualTo(-1);
    assertThat(warm.getConnectMs()).isEqualTo(-1);
    assertThat(warm.getFirstByteMs()).isBetween(0L, 300L);
  }

  @Test
  void shouldLogTheLastHopAndCountRedirectsWhenRedirectedToAnotherOrigin() throws Exception {
    try (MockWebServer other = new MockWebServer()) {
      other.start();
      other.enqueue(new MockResponse.Builder().body("{}").build());
      upstream.enqueue(new MockResponse.Builder().code(302)
          .addHeader("Location", "http://127.0.0.1:" + other.getPort() + "/moved").build());

      PollResult result = poll(null, Map.of("X-Trace", "${env:SEISMO_SECRET_TOKEN}"));

      assertThat(result.getError()).isNull();
      assertThat(result.getRedirects()).isEqualTo(1);
      assertThat(asMap(result.getRequestHeaders())).doesNotContainKey("X-Trace").containsKey("User-Agent");
      assertThat(other.takeRequest().getHeaders().get("X-Trace")).isNull();
    }
  }

  @Test
  void shouldLogTheRequestAndTimingsWhenTheConnectionIsRefused() throws Exception {
    int port = upstream.getPort();
    upstream.close();

    PollResult result = poller.poll(new HttpPoller.PollRequest("api", 1, "http://127.0.0.1:" + port + "/",
        Map.of("X-Plain", "hello"), null, null)).result();

    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.CONNECT);
    assertThat(asMap(result.getRequestHeaders())).containsEntry("X-Plain", "hello");
    assertThat(result.getTimings().getConnectMs()).isGreaterThanOrEqualTo(0);
    assertThat(result.getTimings().getFirstByteMs()).isEqualTo(-1);
  }

  private static Map<String, String> asMap(java.util.List<HttpHeader> headers) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    headers.forEach(header -> map.put(header.getName(), header.getValue()));
    return map;
  }

  private PollResult poll(String etag, Map<String, String> headers) {
    return poller.poll(request(etag, headers)).result();
  }

  private HttpPoller.PollRequest request(String etag, Map<String, String> headers) {
    return new HttpPoller.PollRequest("api", 1, upstream.url("/data").toString(), headers, etag, null);
  }
}
