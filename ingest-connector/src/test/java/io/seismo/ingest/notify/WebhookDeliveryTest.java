package io.seismo.ingest.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.ingest.net.AddressGuard;
import io.seismo.ingest.net.GuardedDns;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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

    assertThat(retried).isEqualTo(new WebhookDelivery.Outcome(true, 3, null));
    assertThat(refused).isEqualTo(new WebhookDelivery.Outcome(false, 1, "HTTP 400"));
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

  private static WebhookDelivery delivery(AddressGuard guard, int attempts) {
    OkHttpClient client = new OkHttpClient.Builder().dns(new GuardedDns(Dns.SYSTEM, guard)).followRedirects(false).build();
    return new WebhookDelivery(client, guard, new WebhookSigner(SECRET), attempts, Duration.ofMillis(10), Clock.systemUTC());
  }
}
