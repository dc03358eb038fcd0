package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.dlq.DlqService;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter queue over REST on the real stack: a record the topology cannot decode is listed with
 * its origin, error and bytes; re-processing sends exactly that record back to exactly its origin partition
 * (checked with a plain read_committed consumer) and records the action on seismo.dlq.actions (read back the
 * same way); a second re-process is refused; discarding one and all works; writes need the write token.
 */
class DlqIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SeismoStack stack = TestStack.stack();
  private final RestClient rest = new RestClient(stack.apiUrl());

  @Test
  void shouldReprocessADeadLetterToItsOriginPartitionOnceAndRecordTheActionWhenAskedWithTheWriteToken() throws Exception {
    String apiId = "dlq-admin-" + UUID.randomUUID().toString().substring(0, 8);
    RecordMetadata produced = produce(apiId, "not avro at all");

    JsonNode letter = awaitOpenLetters(apiId, 1).getFirst();
    assertThat(letter.path("origin").path("topic").asText()).isEqualTo(Topics.RAW_POLLS.name());
    assertThat(letter.path("origin").path("partition").asInt()).isEqualTo(produced.partition());
    assertThat(letter.path("origin").path("offset").asLong()).isEqualTo(produced.offset());
    assertThat(letter.path("error").path("exception").asText()).isNotBlank();
    assertThat(letter.path("decoded").path("format").asText()).isEqualTo("text");
    assertThat(letter.path("decoded").path("value").asText()).isEqualTo("not avro at all");
    assertThat(letter.path("action").isNull()).isTrue();
    String id = letter.path("id").asText();
    RestClient.Answer one = rest.get("/dlq/" + id);
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.json().path("error").path("stacktrace").asText()).contains("at ");

    // refused without the write token, and nothing is written
    RestClient.Answer anonymous = rest.post("/dlq/" + id + "/reprocess", null, null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).startsWith("application/problem+json");
    assertThat(rest.post("/dlq/" + id + "/reprocess", "not-the-token", null).status()).isEqualTo(401);
    assertThat(rest.post("/dlq/reprocess", null, null).status()).isEqualTo(401);
    assertThat(rest.post("/dlq/discard", null, null).status()).isEqualTo(401);
    assertThat(rest.post("/dlq/" + id + "/discard", null, null).status()).isEqualTo(401);
    assertThat(recordsOnRawPartition(apiId, produced)).hasSize(1);

    RestClient.Answer reprocessed = rest.post("/dlq/" + id + "/reprocess", TestStack.WRITE_TOKEN, null);
    assertThat(reprocessed.status()).as(reprocessed.body()).isEqualTo(200);
    JsonNode action = reprocessed.json().path("action");
    assertThat(action.path("action").asText()).isEqualTo("REPROCESSED");
    assertThat(action.path("by").asText()).isEqualTo("write-0");
    assertThat(action.path("target").path("topic").asText()).isEqualTo(Topics.RAW_POLLS.name());
    assertThat(action.path("target").path("partition").asInt()).isEqualTo(produced.partition());

    // independently: the raw partition holds the original and exactly one copy, at the recorded offset
    List<ConsumerRecord<byte[], byte[]>> onRaw = recordsOnRawPartition(apiId, produced);
    assertThat(onRaw).hasSize(2);
    ConsumerRecord<byte[], byte[]> copy = onRaw.get(1);
    assertThat(copy.offset()).isEqualTo(action.path("target").path("offset").asLong());
    assertThat(new String(copy.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
    Header from = copy.headers().lastHeader(DlqService.REPROCESSED_FROM_HEADER);
    assertThat(from).isNotNull();
    assertThat(new String(from.value(), StandardCharsets.UTF_8))
        .isEqualTo(Topics.DLQ.name() + "/" + letter.path("partition").asInt() + "@" + letter.path("offset").asLong());
    assertThat(copy.headers().lastHeader("__streams.errors.exception")).isNull();
    Map<String, JsonNode> recorded = actions();
    String actionKey = letter.path("partition").asInt() + "@" + letter.path("offset").asLong();
    assertThat(recorded).containsKey(actionKey);
    assertThat(recorded.get(actionKey).path("action").asText()).isEqualTo("REPROCESSED");

    // again: refused, nothing re-sent
    RestClient.Answer again = rest.post("/dlq/" + id + "/reprocess", TestStack.WRITE_TOKEN, null);
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(recordsOnRawPartition(apiId, produced)).hasSize(2);

    // still undecodable, the copy is dead-lettered again: discard it
    JsonNode second = awaitOpenLetters(apiId, 1).getFirst();
    assertThat(second.path("id").asText()).isNotEqualTo(id);
    assertThat(second.path("origin").path("offset").asLong()).isEqualTo(copy.offset());
    RestClient.Answer discarded = rest.post("/dlq/" + second.path("id").asText() + "/discard", TestStack.WRITE_TOKEN, null);
    assertThat(discarded.status()).as(discarded.body()).isEqualTo(200);
    assertThat(discarded.json().path("action").path("action").asText()).isEqualTo("DISCARDED");
    assertThat(discarded.json().path("action").has("target")).isFalse();
    assertThat(openLetters(apiId)).isEmpty();
    assertThat(lettersOf(apiId, "handled")).hasSize(2);
    assertThat(recordsOnRawPartition(apiId, produced)).hasSize(2);
  }

  @Test
  void shouldDiscardTheNamedLettersWhenAskedInBulk() throws Exception {
    String apiId = "dlq-bulk-" + UUID.randomUUID().toString().substring(0, 8);
    produce(apiId, "x");
    produce(apiId, "{\"not\":\"avro\"}");
    List<JsonNode> letters = awaitOpenLetters(apiId, 2);
    List<String> ids = letters.stream().map(letter -> letter.path("id").asText()).toList();

    RestClient.Answer done = rest.post("/dlq/discard", TestStack.WRITE_TOKEN, JSON.writeValueAsString(Map.of("ids", ids)));

    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(done.json().path("count").asInt()).isEqualTo(2);
    assertThat(openLetters(apiId)).isEmpty();
    // handled ones are skipped, not acted on twice
    RestClient.Answer again = rest.post("/dlq/discard", TestStack.WRITE_TOKEN, JSON.writeValueAsString(Map.of("ids", ids)));
    assertThat(again.json().path("count").asInt()).isZero();
  }

  @Test
  void shouldAnswerProblemsWhenTheIdOrTheQueryIsBad() {
    RestClient.Answer badId = rest.get("/dlq/not-an-id");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().path("errors").get(0).path("field").asText()).isEqualTo("id");
    assertThat(rest.get("/dlq/0-999999999").status()).isEqualTo(404);
    assertThat(rest.get("/dlq/99-0").status()).isEqualTo(404);
    assertThat(rest.get("/dlq?state=maybe").status()).isEqualTo(400);
    assertThat(rest.get("/dlq?limit=0").status()).isEqualTo(400);
    RestClient.Answer badBody = rest.post("/dlq/discard", TestStack.WRITE_TOKEN, "{\"ids\":7}");
    assertThat(badBody.status()).isEqualTo(400);
    assertThat(badBody.contentType()).startsWith("application/problem+json");
  }

  private List<JsonNode> awaitOpenLetters(String apiId, int count) {
    List<JsonNode> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      found.clear();
      found.addAll(openLetters(apiId));
      return found.size() >= count;
    });
    assertThat(found).hasSize(count);
    return found;
  }

  private List<JsonNode> openLetters(String apiId) {
    return lettersOf(apiId, "open");
  }

  private List<JsonNode> lettersOf(String apiId, String state) {
    RestClient.Answer answer = rest.get("/dlq?limit=500&state=" + state);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    List<JsonNode> letters = new ArrayList<>();
    answer.json().path("items").forEach(item -> {
      if (apiId.equals(item.path("key").asText())) {
        letters.add(item);
      }
    });
    return letters;
  }

  private static RecordMetadata produce(String apiId, String value) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), apiId, value.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  /** This key's records on the partition it was produced to, from its first offset to the end (read_committed). */
  private static List<ConsumerRecord<byte[], byte[]>> recordsOnRawPartition(String apiId, RecordMetadata first) {
    TopicPartition partition = new TopicPartition(first.topic(), first.partition());
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, first.offset());
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(record -> {
          if (record.key() != null && apiId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
            found.add(record);
          }
        });
      }
      assertThat(consumer.position(partition)).as("read to the end").isGreaterThanOrEqualTo(end);
    }
    return found;
  }

  private static Map<String, JsonNode> actions() throws Exception {
    Map<String, JsonNode> recorded = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.DLQ_ACTIONS.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          recorded.put(new String(record.key(), StandardCharsets.UTF_8), JSON.readTree(record.value()));
        }
      }
    }
    return recorded;
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
