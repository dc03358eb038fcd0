package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versioned registration changes: ETag / If-Match, list, delete. */
class RegistrationLifecycleIT {

  private final RestClient rest = new RestClient(TestStack.stack().apiUrl());

  @BeforeEach
  void ready() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  @Test
  void shouldVersionUpdatesWithIfMatchAndDeleteWithTombstone() {
    String apiId = "life-" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/a\",\"desiredState\":\"STOPPED\"}";
    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, body);
    assertThat(created.status()).isEqualTo(201);
    String since = "-" + Instant.parse(created.json().path("createdAt").asText()).toEpochMilli() + "\""; // ETag: "<version>-<createdAt>"
    assertThat(created.header("ETag")).isEqualTo("\"1" + since);
    assertThat(rest.get("/apis/" + apiId).status()).isEqualTo(200); // read-your-writes, no waiting

    String update = "{\"url\":\"https://example.org/b\",\"pollIntervalMs\":5000,\"desiredState\":\"STOPPED\"}";
    RestClient.Answer withoutIfMatch = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, update, null);
    RestClient.Answer stale = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, update, "\"7\"");
    RestClient.Answer updated = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, update, "\"1" + since);

    assertThat(withoutIfMatch.status()).isEqualTo(428);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.json().path("detail").asText()).contains("\"1" + since);
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.header("ETag")).isEqualTo("\"2" + since);
    JsonNode read = rest.get("/apis/" + apiId).json();
    assertThat(read.path("url").asText()).isEqualTo("https://example.org/b");
    assertThat(read.path("version").asLong()).isEqualTo(2);

    JsonNode stopped = rest.get("/apis?state=STOPPED&limit=500").json();
    assertThat(stopped.path("items").findValuesAsText("apiId")).contains(apiId);

    assertThat(rest.send("DELETE", "/apis/" + apiId, TestStack.WRITE_TOKEN, null, "\"1" + since).status()).isEqualTo(412);
    assertThat(rest.send("DELETE", "/apis/" + apiId, TestStack.WRITE_TOKEN, null, "\"2" + since).status()).isEqualTo(204);
    assertThat(rest.get("/apis/" + apiId).status()).isEqualTo(404);
    await().atMost(Duration.ofSeconds(10)).until(() -> rest.get("/apis/" + apiId + "/status").status() == 404);
  }

  @Test
  void shouldLetExactlyOneOfTwoConcurrentUpdatesWithTheSameETagWin() throws Exception {
    String apiId = "race-" + UUID.randomUUID().toString().substring(0, 8);
    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/a\",\"desiredState\":\"STOPPED\"}");
    assertThat(created.status()).isEqualTo(201);
    String etag = created.header("ETag");
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String url : List.of("https://example.org/one", "https://example.org/two")) {
        answers.add(pool.submit(() -> {
          go.await();
          return rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN,
              "{\"url\":\"" + url + "\",\"desiredState\":\"STOPPED\"}", etag).status();
        }));
      }
      go.countDown();
    }
    List<Integer> statuses = new ArrayList<>();
    for (var answer : answers) {
      statuses.add(answer.get());
    }

    assertThat(statuses).containsExactlyInAnyOrder(200, 412);
    assertThat(rest.get("/apis/" + apiId).json().path("version").asLong()).isEqualTo(2);
  }

  @Test
  void shouldPageThroughRegistrationsInIdOrder() {
    String prefix = "page-" + UUID.randomUUID().toString().substring(0, 6);
    for (int i = 0; i < 5; i++) {
      assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + prefix + "-" + i
          + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}").status()).isEqualTo(201);
    }

    JsonNode first = rest.get("/apis?limit=2&after=" + prefix).json();
    JsonNode second = rest.get("/apis?limit=2&after=" + first.path("next").asText()).json();

    assertThat(first.path("items").findValuesAsText("apiId")).containsExactly(prefix + "-0", prefix + "-1");
    assertThat(second.path("items").findValuesAsText("apiId")).containsExactly(prefix + "-2", prefix + "-3");
    assertThat(rest.get("/apis?limit=0").status()).isEqualTo(400);
    assertThat(rest.get("/apis?state=SLEEPING").status()).isEqualTo(400);
  }
}
