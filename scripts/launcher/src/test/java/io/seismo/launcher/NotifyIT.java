package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** POST /apis/{id}/notify reaches the API's webhook through seismo.alerts and the notifier, signed. */
class NotifyIT {

  record Received(Map<String, String> headers, String body) {}

  @Test
  void shouldDeliverASignedTestNotificationToTheWebhook() throws Exception {
    RestClient rest = new RestClient(TestStack.stack().apiUrl());
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    receiver.createContext("/hook", exchange -> {
      received.add(new Received(Map.of(
          "id", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")),
          "timestamp", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
          "signature", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature"))),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    try {
      String apiId = "notify-" + UUID.randomUUID().toString().substring(0, 8);
      String hook = "http://localhost:" + receiver.getAddress().getPort() + "/hook";
      assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/\","
          + "\"desiredState\":\"STOPPED\",\"notifyWebhooks\":[\"" + hook + "\"]}").status()).isEqualTo(201);
      String without = "no-hooks-" + apiId;
      assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + without
          + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}").status()).isEqualTo(201);

      RestClient.Answer queued = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
          .until(() -> rest.post("/apis/" + apiId + "/notify", TestStack.WRITE_TOKEN, ""), answer -> {
            // the notifier's consumer group may still be joining: notify again until a webhook arrives
            return answer.status() == 202 && !received.isEmpty();
          });

      assertThat(queued.json().path("targets").asInt()).isEqualTo(1);
      Received webhook = received.getFirst();
      JsonNode body = new ObjectMapper().readTree(webhook.body());
      assertThat(body.path("apiId").asText()).isEqualTo(apiId);
      assertThat(body.path("kind").asText()).isEqualTo("TEST");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(TestStack.NOTIFY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
          (webhook.headers().get("id") + "." + webhook.headers().get("timestamp") + "." + webhook.body())
              .getBytes(StandardCharsets.UTF_8)));
      assertThat(webhook.headers().get("signature")).isEqualTo(expected);
      assertThat(rest.post("/apis/" + without + "/notify", TestStack.WRITE_TOKEN, "").status()).isEqualTo(422);
      assertThat(rest.post("/apis/" + apiId + "/notify", null, "").status()).isEqualTo(401);
    } finally {
      receiver.stop(0);
    }
  }
}
