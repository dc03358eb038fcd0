package io.seismo.ingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.PollResult;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upstreams that misbehave on purpose: each fault is one clear error sample, with bounded time and memory. */
class UpstreamFaultsTest {

  private static final int MAX_BODY = 64 * 1024;

  private final MockWebServer upstream = new MockWebServer();
  private HttpPoller poller;

  @BeforeEach
  void start() throws Exception {
    upstream.start();
    IngestConfig config = IngestConfig.from(new Settings(Map.of(
        "SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
        "SEISMO_INGEST_MAX_BODY_BYTES", Integer.toString(MAX_BODY),
        "SEISMO_INGEST_READ_TIMEOUT", "500ms",
        "SEISMO_INGEST_CALL_TIMEOUT", "2s")));
    poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    poller.close();
    upstream.close();
  }

  @Test
  void shouldBoundAGzipBombToTheBodyLimit() throws Exception {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 512; i++) {
        gzip.write(zeros); // 512 MB of zeros, about 500 KB compressed
      }
    }
    upstream.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .body(new Buffer().write(bomb.toByteArray())).build());
    long allocatedBefore = allocated();

    PollResult result = poll();

    assertThat(result.getTruncated()).isTrue();
    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.TOO_LARGE);
    assertThat(result.getBody().remaining()).isEqualTo(MAX_BODY);
    assertThat(allocated() - allocatedBefore).as("bytes allocated").isLessThan(64L * 1024 * 1024);
  }

  @Test
  void shouldCutAnEndlessBodyAtTheLimit() {
    upstream.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[4 * 1024 * 1024])).build());

    PollResult result = poll();

    assertThat(result.getTruncated()).isTrue();
    assertThat(result.getBodyBytes()).isEqualTo(4 * 1024 * 1024); // Content-Length tells the real size
  }

  @Test
  void shouldTimeOutASlowlorisTrickle() {
    upstream.enqueue(new MockResponse.Builder().body("{\"a\":\"" + "x".repeat(2000) + "\"}")
        .throttleBody(10, 1, TimeUnit.SECONDS).build());
    long started = System.nanoTime();

    PollResult result = poll();

    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
  }

  @Test
  void shouldTimeOutAGapBetweenReadsLongBeforeTheCallTimeout() throws Exception {
    IngestConfig config = IngestConfig.from(new Settings(Map.of(
        "SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
        "SEISMO_INGEST_READ_TIMEOUT", "500ms",
        "SEISMO_INGEST_CALL_TIMEOUT", "30s")));
    upstream.enqueue(new MockResponse.Builder().body("{\"late\":true}").bodyDelay(10, TimeUnit.SECONDS).build());
    long started = System.nanoTime();

    HttpPoller patient = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()),
        SecretResolver.of(Map.of()), Clock.systemUTC());
    PollResult result;
    try {
      result = patient.poll(new HttpPoller.PollRequest("gap", 1, upstream.url("/").toString(), Map.of(), null, null))
          .result();
    } finally {
      patient.close();
    }

    assertThat(result.getError().getCategory()).isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(result.getError().getMessage()).containsIgnoringCase("timed out");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(400L, 5_000L);
  }

  @Test
  void shouldReportAConnectionResetMidBody() {
    upstream.enqueue(new MockResponse.Builder().body("{\"a\":\"" + "x".repeat(100_000) + "\"}")
        .onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build());

    PollResult result = poll();

    assertThat(result.getError()).isNotNull();
    assertThat(result.getError().getCategory()).isIn(ErrorCategory.CONNECT, ErrorCategory.PROTOCOL);
  }

  @Test
  void shouldRecordInvalidUtf8AndNonJsonBodiesAsTheyCame() {
    byte[] invalid = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '{', '}'};
    upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(new Buffer().write(invalid)).build());

    PollResult result = poll();

    assertThat(result.getError()).isNull();
    assertThat(result.getBodyBytes()).isEqualTo(invalid.length);
    byte[] recorded = new byte[result.getBody().remaining()];
    result.getBody().duplicate().get(recorded);
    assertThat(recorded).isEqualTo(invalid);
  }

  private PollResult poll() {
    return poller.poll(new HttpPoller.PollRequest("api", 1, upstream.url("/").toString(), Map.of(), null, null)).result();
  }

  private static long allocated() {
    return ((ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().threadId());
  }
}
