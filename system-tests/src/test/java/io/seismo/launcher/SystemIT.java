package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /system on the real stack: the broker is reachable, this topology instance reports itself RUNNING
 * with its threads and tasks, the lag table covers every partition of the input topics, the ingest group's
 * members own every registration partition, and the ingest instance's own endpoints report it ready with the
 * registered API among its jobs and its outage buffer's limit.
 */
class SystemIT {

  private final SeismoStack stack = TestStack.stack();
  private final RestClient rest = new RestClient(stack.apiUrl());

  @Test
  void shouldReportBrokersTopologyLagAndIngestWhenTheStackRuns() {
    String apiId = "system-" + UUID.randomUUID().toString().substring(0, 8);
    TestStack.upstream().put("/" + apiId, "{\"a\":1}");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> rest.get("/health/ready").status() == 200);
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + TestStack.upstream().url("/" + apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);

    JsonNode[] system = new JsonNode[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      RestClient.Answer answer = rest.get("/system");
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      system[0] = answer.json();
      JsonNode instance = system[0].path("ingest").path("instances").path(0);
      String shown = system[0].toPrettyString();
      assertThat(instance.path("ready").asBoolean()).as("ingest ready in %s", shown).isTrue();
      assertThat(instance.path("jobs").path("poll").path("up").asLong()).as("a poll job up in %s", shown).isPositive();
      assertThat(instance.path("scheduleLag").path("count").asLong()).as("schedule lag counted in %s", shown).isPositive();
      assertThat(ownedByAMember(system[0], apiId)).as("%s owned by a member in %s", apiId, shown).isTrue();
    });
    JsonNode body = system[0];

    assertThat(body.path("brokers").path("reachable").asBoolean()).isTrue();
    assertThat(body.path("brokers").path("nodes").size()).isGreaterThanOrEqualTo(1);

    JsonNode self = null;
    for (JsonNode instance : body.path("topology").path("instances")) {
      if (instance.path("self").asBoolean()) {
        self = instance;
      }
    }
    assertThat(self).as(body.toPrettyString()).isNotNull();
    assertThat(self.path("port").asInt()).isEqualTo(stack.api().port());
    assertThat(self.path("state").asText()).isIn("RUNNING", "REBALANCING");
    assertThat(self.path("threads").size()).isGreaterThanOrEqualTo(1);
    assertThat(self.path("threads").path(0).has("commitLatencyAvgMs")).isTrue();

    Set<String> lagged = new TreeSet<>();
    body.path("topology").path("lag").path("partitions").forEach(row -> {
      lagged.add(row.path("topic").asText() + "-" + row.path("partition").asInt());
      assertThat(row.path("lag").asLong()).isGreaterThanOrEqualTo(0);
    });
    for (int partition = 0; partition < TestStack.PARTITIONS; partition++) {
      assertThat(lagged).contains(Topics.RAW_POLLS.name() + "-" + partition, Topics.RAW_SSE.name() + "-" + partition);
    }

    JsonNode ingest = body.path("ingest");
    assertThat(ingest.path("groupId").asText()).isEqualTo("seismo-ingest");
    Set<Integer> owned = new TreeSet<>();
    ingest.path("members").forEach(member -> member.path("partitions").forEach(p -> owned.add(p.asInt())));
    assertThat(owned).containsExactly(0, 1, 2);
    JsonNode instance = ingest.path("instances").path(0);
    assertThat(instance.path("url").asText()).isEqualTo("http://localhost:" + stack.ingest().httpPort());
    assertThat(instance.path("running").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(instance.path("outageBuffer").path("limitBytes").asLong()).isEqualTo(64L * 1024 * 1024);
    assertThat(instance.path("scheduleLag").path("count").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(instance.path("failingApiIds").toString()).doesNotContain(apiId);

    // an API whose upstream answers 404 is named among the instance's failing jobs
    String broken = apiId + "-broken";
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + broken + "\",\"url\":\""
        + TestStack.upstream().url("/missing-" + broken) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      JsonNode failing = rest.get("/system").json().path("ingest").path("instances").path(0).path("failingApiIds");
      assertThat(contains(failing, broken)).as("%s failing in %s", broken, failing).isTrue();
      assertThat(contains(failing, apiId)).isFalse();
    });
  }

  @Test
  void shouldAnswerThisInstanceOnlyWhenTheScopeIsLocal() {
    RestClient.Answer local = rest.get("/system?scope=local");
    assertThat(local.status()).as(local.body()).isEqualTo(200);
    assertThat(local.json().path("self").asBoolean()).isTrue();
    assertThat(local.json().has("brokers")).isFalse();
    RestClient.Answer bad = rest.get("/system?scope=everything");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
  }

  private static boolean ownedByAMember(JsonNode system, String apiId) {
    List<Boolean> found = new ArrayList<>();
    system.path("ingest").path("members").forEach(member -> found.add(contains(member.path("apiIds"), apiId)));
    return found.contains(true);
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (item.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
