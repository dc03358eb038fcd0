package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** POST /apis/{id}/notify reaches the API's webhook through seismo.alerts and the notifier, signed. */
class NotifyIT {

  record Received(Map<String, String> headers, String body) {}

  /** A JDK HTTP server answering {@code status} after {@code delayMs}, keeping what it received and when. */
  record Receiver(HttpServer server, List<String> ids, List<Long> at) implements AutoCloseable {
    static Receiver start(int status, long delayMs) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      Receiver receiver = new Receiver(server, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/hook", exchange -> {
        exchange.getRequestBody().readAllBytes();
        receiver.ids().add(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")));
        receiver.at().add(System.nanoTime());
        try {
          Thread.sleep(delayMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
      });
      server.start();
      return receiver;
    }

    String url() {
      return "http://localhost:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void shouldDeliverToAHealthyReceiverWithinASecondWhenAnotherReceiverIsDead() throws Exception {
    RestClient rest = new RestClient(TestStack.stack().apiUrl());
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    try (Receiver dead = Receiver.start(500, 2_000); Receiver healthy = Receiver.start(204, 0)) {
      String apiId = "notify-dead-" + UUID.randomUUID().toString().substring(0, 8);
      assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/\","
          + "\"desiredState\":\"STOPPED\",\"notifyWebhooks\":[\"" + dead.url() + "\",\"" + healthy.url() + "\"]}")
          .status()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
          .until(() -> rest.post("/apis/" + apiId + "/notify", TestStack.WRITE_TOKEN, "").status() == 202
              && !healthy.ids().isEmpty()); // the notifier's group may still be joining

      int before = healthy.ids().size();
      long sent = System.nanoTime();
      assertThat(rest.post("/apis/" + apiId + "/notify", TestStack.WRITE_TOKEN, "").status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(60)).until(() -> healthy.ids().size() > before);

      long lateMs = (healthy.at().get(before) - sent) / 1_000_000;
      assertThat(lateMs < 1_000).as("the healthy receiver got the webhook %d ms after the notify", lateMs).isTrue();
      assertThat(dead.ids().isEmpty()).isFalse();
    }
  }

  @Test
  void shouldNotPostAgainToAnEndpointThatAnswered410AndShowItInDeliveries() throws Exception {
    RestClient rest = new RestClient(TestStack.stack().apiUrl());
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    try (Receiver gone = Receiver.start(410, 0); Receiver healthy = Receiver.start(204, 0)) {
      String apiId = "notify-gone-" + UUID.randomUUID().toString().substring(0, 8);
      assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/\","
          + "\"desiredState\":\"STOPPED\",\"notifyWebhooks\":[\"" + gone.url() + "\",\"" + healthy.url() + "\"]}")
          .status()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
          .until(() -> rest.post("/apis/" + apiId + "/notify", TestStack.WRITE_TOKEN, "").status() == 202
              && !healthy.ids().isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> gone.ids().size() >= 1);
      int goneCalls = gone.ids().size();
      int healthyCalls = healthy.ids().size();

      assertThat(rest.post("/apis/" + apiId + "/notify", TestStack.WRITE_TOKEN, "").status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(30)).until(() -> healthy.ids().size() > healthyCalls);
      Thread.sleep(500);

      assertThat(gone.ids().size()).isEqualTo(goneCalls);
      JsonNode deliveries = await().atMost(Duration.ofSeconds(30)).until(
          () -> rest.get("/apis/" + apiId + "/deliveries"),
          answer -> answer.status() == 200 && answer.json().path("endpoints").size() == 2
              && answer.json().path("recent").size() >= 3).json();
      assertThat(deliveries.path("apiId").asText()).isEqualTo(apiId);
      assertThat(deliveries.toString()).doesNotContain("/hook"); // webhook URLs may hold tokens: host only
      JsonNode goneEndpoint = deliveries.path("endpoints").get(0);
      assertThat(goneEndpoint.path("index").asInt()).isEqualTo(0);
      assertThat(goneEndpoint.path("state").asText()).isEqualTo("GONE");
      assertThat(deliveries.path("endpoints").get(1).path("state").asText()).isEqualTo("ACTIVE");
      assertThat(deliveries.path("recent").findValuesAsText("outcome")).contains("GONE", "DELIVERED");
    }
  }

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
