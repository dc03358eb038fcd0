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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A threshold rule end to end on the real stack: the upstream's document stops matching a POINTER rule,
 * the topology opens an incident, the THRESHOLD alert reaches a real webhook receiver (signed, with its
 * rule and incident ids), the document matches again, the RECOVERED alert follows with the same incident
 * id, and GET /apis/{id}/alerts and GET /alerts show both with their delivery results.
 */
class ThresholdAlertIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldDeliverThresholdAndRecoveredToTheWebhookWhenARuleOpensAndClosesAnIncident() throws Exception {
    RestClient rest = new RestClient(TestStack.stack().apiUrl());
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    receiver.createContext("/hook", exchange -> {
      received.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    try {
      String apiId = "threshold-" + UUID.randomUUID().toString().substring(0, 8);
      String path = "/" + apiId;
      TestStack.upstream().put(path, "{\"status\":\"ok\",\"items\":[1,2]}");
      String hook = "http://localhost:" + receiver.getAddress().getPort() + "/hook";
      assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
          + TestStack.upstream().url(path) + "\",\"pollIntervalMs\":1000,\"notifyWebhooks\":[\"" + hook + "\"],"
          + "\"rules\":[{\"id\":\"status-ok\",\"kind\":\"POINTER\",\"pointer\":\"/status\",\"op\":\"==\","
          + "\"value\":\"\\\"ok\\\"\"}]}").status()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(90)).until(() -> rest.get("/apis/" + apiId + "/incidents").json()
          .path("items").size() == 1);

      TestStack.upstream().put(path, "{\"status\":\"degraded\",\"items\":[1,2]}");
      JsonNode opened = await().atMost(Duration.ofSeconds(90)).until(() -> received.stream()
          .filter(body -> "THRESHOLD".equals(body.path("kind").asText())).findFirst().orElse(null), body -> body != null);
      assertThat(opened.path("apiId").asText()).isEqualTo(apiId);
      assertThat(opened.path("ruleId").asText()).isEqualTo("status-ok");
      assertThat(opened.path("detail").asText()).contains("does not match /status == \"ok\"");
      assertThat(rest.get("/apis/" + apiId + "/incidents").json().path("items").get(0).path("state").asText())
          .isEqualTo("OPEN");

      TestStack.upstream().put(path, "{\"status\":\"ok\",\"items\":[1,2,3]}");
      JsonNode recovered = await().atMost(Duration.ofSeconds(90)).until(() -> received.stream()
          .filter(body -> "RECOVERED".equals(body.path("kind").asText())).findFirst().orElse(null), body -> body != null);
      assertThat(recovered.path("incidentId").asText()).isEqualTo(opened.path("incidentId").asText());
      assertThat(received.stream().filter(body -> "THRESHOLD".equals(body.path("kind").asText())).count())
          .as("one incident, one THRESHOLD alert").isEqualTo(1);

      JsonNode history = await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/apis/" + apiId + "/alerts").json(),
          page -> page.path("items").size() == 2 && page.path("items").get(1).path("deliveries").size() == 1
              && page.path("items").get(0).path("deliveries").size() == 1);
      assertThat(history.path("items").findValuesAsText("kind")).containsExactly("RECOVERED", "THRESHOLD");
      assertThat(history.path("items").get(1).path("id").asText()).isEqualTo(opened.path("id").asText());
      assertThat(history.path("items").get(1).path("deliveries").get(0).path("outcome").asText()).isEqualTo("DELIVERED");
      assertThat(history.toString()).doesNotContain("/hook"); // webhook URLs may hold tokens

      JsonNode global = rest.get("/alerts?kind=THRESHOLD&limit=200").json();
      assertThat(global.path("items").findValuesAsText("apiId")).contains(apiId);
    } finally {
      receiver.stop(0);
    }
  }
}
