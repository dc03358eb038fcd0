package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /apis:batch on the running stack: all-or-nothing validation, per-item conflicts, bounds. */
class BulkRegistrationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final RestClient rest = new RestClient(TestStack.stack().apiUrl());

  @BeforeEach
  void ready() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  private static ObjectNode item(String apiId) {
    return JSON.createObjectNode().put("apiId", apiId).put("url", "https://example.org/" + apiId)
        .put("pollIntervalMs", 86_400_000).put("desiredState", "STOPPED");
  }

  private static String batch(List<ObjectNode> items) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode array = body.putArray("items");
    items.forEach(array::add);
    return body.toString();
  }

  @Test
  void shouldRegisterEveryItemOnEveryPartitionWhenTheBatchIsValid() {
    List<String> apiIds = TestStack.apiIdsOnEveryPartition("bulk-", 100);
    List<ObjectNode> items = new ArrayList<>();
    apiIds.forEach(apiId -> items.add(item(apiId)));

    RestClient.Answer answer = rest.post("/apis:batch", TestStack.WRITE_TOKEN, batch(items));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = answer.json();
    assertThat(body.path("created").asInt()).isEqualTo(apiIds.size());
    assertThat(body.path("conflicts").asInt()).isZero();
    assertThat(body.path("failed").asInt()).isZero();
    for (int i = 0; i < apiIds.size(); i++) {
      JsonNode result = body.path("items").get(i);
      assertThat(result.path("apiId").asText()).isEqualTo(apiIds.get(i));
      assertThat(result.path("status").asInt()).isEqualTo(201);
      // read-your-writes: every registration is readable as soon as the batch answered
      RestClient.Answer read = rest.get("/apis/" + apiIds.get(i));
      assertThat(read.status()).as(apiIds.get(i)).isEqualTo(200);
      assertThat(read.header("ETag")).isEqualTo(result.path("etag").asText());
      assertThat(read.json().path("pollIntervalMs").asLong()).isEqualTo(86_400_000L);
    }
  }

  @Test
  void shouldWriteNothingAndNameEachItemWhenAnyItemIsInvalid() {
    String prefix = "bulk-bad-" + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode valid = item(prefix + "-ok");
    ObjectNode badUrl = item(prefix + "-url").put("url", "ftp://example.org/");
    ObjectNode duplicate = item(prefix + "-ok");
    ObjectNode unknownField = item(prefix + "-field").put("intervall", 5);
    ObjectNode badInterval = item(prefix + "-interval").put("pollIntervalMs", 5);

    RestClient.Answer answer = rest.post("/apis:batch", TestStack.WRITE_TOKEN,
        batch(List.of(valid, badUrl, duplicate, unknownField, badInterval)));

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    List<String> fields = new ArrayList<>();
    answer.json().path("errors").forEach(error -> fields.add(error.path("field").asText()));
    assertThat(fields).containsExactly("items[1].url", "items[2].apiId", "items[3].intervall", "items[4].pollIntervalMs");
    assertThat(answer.json().path("detail").asText()).startsWith("nothing was registered: items[1].url must be an absolute http");
    assertThat(rest.get("/apis/" + prefix + "-ok").status()).isEqualTo(404);
  }

  @Test
  void shouldAnswer409ForATakenApiIdAndRegisterTheOthersWhenSomeExist() {
    String prefix = "bulk-taken-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, item(prefix + "-old").put("pollIntervalMs", 60_000).toString())
        .status()).isEqualTo(201);

    RestClient.Answer answer = rest.post("/apis:batch", TestStack.WRITE_TOKEN,
        batch(List.of(item(prefix + "-old"), item(prefix + "-new"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("created").asInt()).isEqualTo(1);
    assertThat(answer.json().path("conflicts").asInt()).isEqualTo(1);
    assertThat(answer.json().path("items").get(0).path("status").asInt()).isEqualTo(409);
    assertThat(answer.json().path("items").get(0).path("detail").asText()).contains("already registered");
    assertThat(rest.get("/apis/" + prefix + "-old").json().path("pollIntervalMs").asLong()).as("left as it was")
        .isEqualTo(60_000L);
    assertThat(rest.get("/apis/" + prefix + "-new").status()).isEqualTo(200);
  }

  @Test
  void shouldRefuseBatchesBeyondTheirBoundsWhenTooManyItemsOrTooManyBytes() {
    List<ObjectNode> tooMany = new ArrayList<>();
    for (int i = 0; i < 1_001; i++) {
      tooMany.add(item("bulk-many-" + i));
    }
    RestClient.Answer many = rest.post("/apis:batch", TestStack.WRITE_TOKEN, batch(tooMany));
    assertThat(many.status()).as(many.body()).isEqualTo(400);
    assertThat(many.json().path("errors").get(0).path("field").asText()).isEqualTo("items");

    String huge = "{\"items\":[" + ("{\"apiId\":\"x\",\"url\":\"https://example.org/" + "p".repeat(1_000) + "\"},").repeat(4_500)
        + "{\"apiId\":\"y\",\"url\":\"https://example.org/\"}]}";
    RestClient.Answer tooLarge = rest.post("/apis:batch", TestStack.WRITE_TOKEN, huge);
    assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(413);
    assertThat(tooLarge.json().path("detail").asText()).contains("4194304 bytes");

    assertThat(rest.post("/apis:batch", null, batch(List.of(item("bulk-anon")))).status()).isEqualTo(401);
    RestClient.Answer notJson = rest.post("/apis:batch", TestStack.WRITE_TOKEN, "[1,2]");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().path("detail").asText()).contains("{\"items\"");
  }
}
