package io.seismo.ingest.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.seismo.ingest.net.GuardedDns;
import io.seismo.runtime.net.AddressGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {

  private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  private final MockWebServer receiver = new MockWebServer();
  private final AddressGuard allowLocal = AddressGuard.allowing(List.of("localhost", "127.0.0.0/8", "::1/128"));

  @BeforeEach
  void start() throws Exception {
    receiver.start();
  }

  @AfterEach
  void stop() throws Exception {
    receiver.close();
  }

  @Test
  void shouldSignAsStandardWebhooksSoThatAReceiverCanVerify() throws Exception {
    receiver.enqueue(new MockResponse.Builder().code(204).build());

    WebhookDelivery.Outcome outcome = delivery(allowLocal, 3).deliver(receiver.url("/hook").toString(), "msg_1", "{\"a\":1}");

    assertThat(outcome.delivered()).isTrue();
    RecordedRequest request = receiver.takeRequest();
    String id = request.getHeaders().get("webhook-id");
    String timestamp = request.getHeaders().get("webhook-timestamp");
    String body = request.getBody().utf8();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
        .getBytes(StandardCharsets.UTF_8)));
    assertThat(id).isEqualTo("msg_1");
    assertThat(request.getHeaders().get("webhook-signature")).isEqualTo(expected);
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
  }

  @Test
  void shouldRetryServerErrorsAndStopOnClientErrors() throws Exception {
    receiver.enqueue(new MockResponse.Builder().code(503).build());
    receiver.enqueue(new MockResponse.Builder().code(503).build());
    receiver.enqueue(new MockResponse.Builder().code(200).build());
    receiver.enqueue(new MockResponse.Builder().code(400).build());

    WebhookDelivery.Outcome retried = delivery(allowLocal, 5).deliver(receiver.url("/hook").toString(), "m", "{}");
    WebhookDelivery.Outcome refused = delivery(allowLocal, 5).deliver(receiver.url("/hook").toString(), "m", "{}");

    assertThat(retried).isEqualTo(new WebhookDelivery.Outcome(WebhookDelivery.Result.DELIVERED, 3, 200, null));
    assertThat(refused).isEqualTo(new WebhookDelivery.Outcome(WebhookDelivery.Result.REFUSED, 1, 400, "HTTP 400"));
    assertThat(receiver.getRequestCount()).isEqualTo(4);
  }

  @Test
  void shouldRefuseBlockedAddressesWithoutAnyRequest() throws Exception {
    WebhookDelivery.Outcome byName = delivery(AddressGuard.strict(), 3).deliver(receiver.url("/hook").toString(), "m", "{}");
    WebhookDelivery.Outcome metadata = delivery(AddressGuard.strict(), 3).deliver("http://169.254.169.254/x", "m", "{}");

    assertThat(byName.delivered()).isFalse();
    assertThat(byName.lastError()).contains("refused to connect");
    assertThat(metadata.attempts()).isEqualTo(1);
    assertThat(receiver.getRequestCount()).isZero();
  }

  @Test
  void shouldWaitForRetryAfterWhenReceiverAnswers429() throws Exception {
    List<Long> at = new CopyOnWriteArrayList<>();
    HttpServer server = jdkReceiver(exchange -> {
      at.add(System.nanoTime());
      exchange.getResponseHeaders().add("Retry-After", "2");
      exchange.sendResponseHeaders(at.size() == 1 ? 429 : 204, -1);
    });
    try {
      WebhookDelivery.Outcome outcome = delivery(allowLocal, 3).deliver(url(server), "m", "{}");

      assertThat(outcome.delivered()).isTrue();
      assertThat(at).hasSize(2);
      long waitedMs = (at.get(1) - at.get(0)) / 1_000_000;
      assertThat(waitedMs >= 2_000).as("second attempt %d ms after the 429 with Retry-After: 2", waitedMs).isTrue();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldRetryAtTheCapWhenA429RetryAfterIsTooLargeForMilliseconds() throws Exception {
    List<Long> at = new CopyOnWriteArrayList<>();
    HttpServer server = jdkReceiver(exchange -> {
      at.add(System.nanoTime());
      exchange.getResponseHeaders().add("Retry-After", "9999999999999999"); // ~317 million years, fits a long
      exchange.sendResponseHeaders(at.size() == 1 ? 429 : 204, -1);
    });
    try {
      WebhookDelivery capped = new WebhookDelivery(new OkHttpClient(), allowLocal, null,
          new WebhookDelivery.Policy(3, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(30)),
          Clock.systemUTC());

      WebhookDelivery.Outcome outcome = capped.deliver(url(server), "m", "{}");

      assertThat(outcome).isEqualTo(new WebhookDelivery.Outcome(WebhookDelivery.Result.DELIVERED, 2, 204, null));
      assertThat(at.size()).isEqualTo(2);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldReportGoneWithoutRetryWhenReceiverAnswers410() throws Exception {
    receiver.enqueue(new MockResponse.Builder().code(410).build());

    WebhookDelivery.Outcome outcome = delivery(allowLocal, 5).deliver(receiver.url("/hook").toString(), "m", "{}");

    assertThat(outcome).isEqualTo(new WebhookDelivery.Outcome(WebhookDelivery.Result.GONE, 1, 410, "HTTP 410"));
    assertThat(receiver.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldCapBackoffAndRetryAfterWhenTheyWouldGrowBeyondIt() {
    OkHttpClient client = new OkHttpClient();
    WebhookDelivery capped = new WebhookDelivery(client, allowLocal, null,
        new WebhookDelivery.Policy(20, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5)), Clock.systemUTC());

    assertThat(capped.waitBefore(2, Optional.empty())).isBetween(1_000L, 1_250L);
    assertThat(capped.waitBefore(20, Optional.empty())).isEqualTo(30_000L);
    assertThat(capped.waitBefore(2, Optional.of(Duration.ofSeconds(2)))).isEqualTo(2_000L);
    assertThat(capped.waitBefore(2, Optional.of(Duration.ofHours(1)))).isEqualTo(30_000L);
  }

  @Test
  void shouldGiveUpAtTheDeadlineWhenReceiverKeepsFailing() throws Exception {
    HttpServer server = jdkReceiver(exchange -> exchange.sendResponseHeaders(500, -1));
    try {
      WebhookDelivery bounded = new WebhookDelivery(new OkHttpClient(), allowLocal, null,
          new WebhookDelivery.Policy(20, Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofSeconds(2)),
          Clock.systemUTC());
      long started = System.nanoTime();

      WebhookDelivery.Outcome outcome = bounded.deliver(url(server), "m", "{}");

      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(outcome.result()).isEqualTo(WebhookDelivery.Result.FAILED);
      assertThat(outcome.lastError()).startsWith("HTTP 500 (gave up: delivery deadline PT2S)");
      assertThat(tookMs < 2_500).as("took %d ms", tookMs).isTrue();
    } finally {
      server.stop(0);
    }
  }

  /** A JDK HTTP server on loopback whose /hook runs {@code handler} (which sends the status). */
  static HttpServer jdkReceiver(HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/hook", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        handler.handle(exchange);
      }
    });
    server.start();
    return server;
  }

  static String url(HttpServer server) {
    return "http://localhost:" + server.getAddress().getPort() + "/hook";
  }

  private static WebhookDelivery delivery(AddressGuard guard, int attempts) {
    OkHttpClient client = new OkHttpClient.Builder().dns(new GuardedDns(Dns.SYSTEM, guard)).followRedirects(false).build();
    return new WebhookDelivery(client, guard, new WebhookSigner(SECRET),
        new WebhookDelivery.Policy(attempts, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofSeconds(30)),
        Clock.systemUTC());
  }
}
