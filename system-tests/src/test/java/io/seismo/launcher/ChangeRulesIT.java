package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.FieldFrequency;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.topology.processor.ApiIdPartitioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * What counts as a change, end to end on the real stack against the demo upstream's APIs: a volatile
 * timestamp and request id are suggested as ignore rules and, added with one call, stop counting; a
 * shuffled set changes only when its members do; records keyed by id give patches by id; per-field
 * frequency reaches REST and the {@code seismo.field-changes} topic (partitioned by apiId).
 */
class ChangeRulesIT {

  private final SeismoStack stack = TestStack.stack();
  private final DemoUpstream upstream = TestStack.upstream();
  private final RestClient rest = new RestClient(stack.apiUrl());

  @Test
  void shouldSuggestTheVolatileFieldsAndStopCountingThemWhenIgnoredWithOneCall() {
    String apiId = register("volatile", "/volatile", "");
    JsonNode fields = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
        () -> rest.get("/apis/" + apiId + "/fields?window=1h").json(), f -> f.path("suggestions").size() >= 2);
    List<String> suggested = new ArrayList<>();
    fields.path("suggestions").forEach(s -> suggested.add(s.path("pattern").asText()));
    assertThat(suggested).containsExactlyInAnyOrder("/meta/requestId", "/meta/serverTime");
    JsonNode total = fields.path("total");
    assertThat(total.path("changes").asLong()).isGreaterThanOrEqualTo(total.path("samples").asLong() - 2);

    RestClient.Answer added = rest.post("/apis/" + apiId + "/ignore", TestStack.WRITE_TOKEN,
        "{\"patterns\":[\"" + String.join("\",\"", suggested) + "\"]}");
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    assertThat(added.json().path("ignore")).hasSize(2);

    // once the new rules are analysed (the first sample under them drops /meta: one change), at most the
    // reading itself (every 60 s on this upstream) changes over the next 8 samples — without the rules, 8 would
    long ruled = status(apiId).path("samples").asLong() + 3;
    JsonNode before = awaitStatus(apiId, s -> s.path("samples").asLong() >= ruled);
    JsonNode after = awaitStatus(apiId, s -> s.path("samples").asLong() >= before.path("samples").asLong() + 8);
    assertThat(after.path("changes").asLong() - before.path("changes").asLong()).isLessThanOrEqualTo(1);
    assertThat(rest.get("/apis/" + apiId + "/document").json().has("meta")).isTrue();
    assertThat(rest.get("/apis/" + apiId + "/document").json().path("meta").size()).isZero();
  }

  @Test
  void shouldChangeOnlyWhenMembersChangeWhenTheArrayIsASet() {
    String sorted = register("set", "/shuffled", ",\"unorderedArrays\":[\"/members\"]");
    String raw = register("set-raw", "/shuffled", "");
    JsonNode sortedStatus = awaitStatus(sorted, s -> s.path("samples").asLong() >= 10);
    JsonNode rawStatus = awaitStatus(raw, s -> s.path("samples").asLong() >= 10);

    assertThat(rawStatus.path("changes").asLong()).isGreaterThanOrEqualTo(5); // a new order on nearly every poll
    // a member joins or leaves every 20 s on this upstream
    assertThat(sortedStatus.path("changes").asLong()).isLessThanOrEqualTo(sortedStatus.path("samples").asLong() / 10 + 1);
    for (JsonNode change : rest.get("/apis/" + sorted + "/changes").json().path("items")) {
      // members joined or left (the demo's count wraps from 8 to 5: three removes at once), never a reorder
      for (JsonNode operation : change.path("patch")) {
        assertThat(operation.path("op").asText()).as(change.toString()).isIn("add", "remove");
      }
    }
  }

  @Test
  void shouldAddressRecordsByKeyWhenArrayKeysAreSetAndPublishTheFieldFrequency() throws Exception {
    String apiId = register("records", "/records", ",\"arrayKeys\":{\"/orders\":\"id\"}");
    JsonNode status = awaitStatus(apiId, s -> s.path("changes").asLong() >= 2);
    assertThat(status.path("changes").asLong()).isPositive();
    JsonNode changes = rest.get("/apis/" + apiId + "/changes").json().path("items");
    assertThat(changes.size()).isGreaterThanOrEqualTo(2);
    for (JsonNode change : changes) {
      for (JsonNode operation : change.path("patch")) {
        assertThat(operation.path("path").asText()).as(change.toString()).matches("/orders/o-\\d+(/status)?");
      }
      assertThat(change.path("patch").size()).as(change.toString()).isLessThanOrEqualTo(12);
    }
    JsonNode fields = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(
        () -> rest.get("/apis/" + apiId + "/fields?window=1m").json(), f -> f.path("total").path("paths").size() >= 2);
    List<String> paths = new ArrayList<>();
    fields.path("total").path("paths").forEach(p -> paths.add(p.path("path").asText()));
    assertThat(paths).contains("/orders/*").allMatch(p -> p.equals("/orders/*") || p.equals("/orders/*/status"));

    // the output topic, read as any consumer would: read_committed, partitioned by the apiId
    List<ConsumerRecord<String, FieldFrequency>> records = await().atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1)).until(() -> fieldRecords(apiId), list -> !list.isEmpty());
    int partitions = TestStack.PARTITIONS;
    for (ConsumerRecord<String, FieldFrequency> record : records) {
      assertThat(record.key()).startsWith(apiId + "@");
      assertThat(record.partition()).isEqualTo(ApiIdPartitioner.partitionOf(apiId, partitions));
      assertThat(record.value().getApiId()).isEqualTo(apiId);
    }
  }

  private List<ConsumerRecord<String, FieldFrequency>> fieldRecords(String apiId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, FieldFrequency>> found = new ArrayList<>();
    try (KafkaConsumer<String, FieldFrequency> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        Topics.FIELD_CHANGES.valueSerde().deserializer())) {
      List<TopicPartition> all = consumer.partitionsFor(Topics.FIELD_CHANGES.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> ends = consumer.endOffsets(all);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (all.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, FieldFrequency> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null && record.key().startsWith(apiId + "@")) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }

  private String register(String name, String path, String rules) {
    String apiId = "rules-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    await().atMost(Duration.ofSeconds(90)).until(() -> rest.get("/health/ready").status() == 200);
    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + upstream.url(path) + "\",\"pollIntervalMs\":1000" + rules + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return apiId;
  }

  private JsonNode status(String apiId) {
    return rest.get("/apis/" + apiId + "/status").json();
  }

  private JsonNode awaitStatus(String apiId, Predicate<JsonNode> condition) {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
      RestClient.Answer answer = rest.get("/apis/" + apiId + "/status");
      return answer.status() == 200 ? answer.json() : null;
    }, s -> s != null && condition.test(s));
  }
}
