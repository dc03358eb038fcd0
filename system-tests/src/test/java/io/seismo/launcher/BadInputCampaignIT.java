package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed inputs at every entry point: REST bodies and paths, records written to the
 * control topic by other producers, raw records. Nothing crashes, every input gets a precise answer
 * (problem+json or a dead-letter record with its reason), and valid work carries on.
 */
class BadInputCampaignIT {

  private static final int N = 1_000;
  private static final Random RANDOM = new Random(20261124);

  private final RestClient rest = new RestClient(TestStack.stack().apiUrl());

  @BeforeEach
  void ready() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  @Test
  void shouldAnswerEveryMalformedRegistrationWithA4xxProblemAndWriteNothing() {
    Map<Integer, Integer> statuses = new HashMap<>();
    for (int i = 0; i < N; i++) {
      String body = malformedRegistration("fuzz-" + i);
      RestClient.Answer answer = rest.post("/apis", TestStack.WRITE_TOKEN, body);
      statuses.merge(answer.status(), 1, Integer::sum);
      assertThat(answer.status()).as(body).isBetween(400, 499);
      assertThat(answer.contentType()).as(body).startsWith("application/problem+json");
      assertThat(answer.json().path("detail").asText()).as(body).isNotBlank();
    }
    for (String path : List.of("/apis/..%2F..%2Fetc%2Fpasswd/status", "/apis/%00/status", "/apis/" + "x".repeat(5000),
        "/apis/a/metrics?window=1y", "/apis/a/metrics?from=yesterday", "/apis?limit=-1", "/apis?limit=abc")) {
      RestClient.Answer answer = rest.get(path);
      assertThat(answer.status()).as(path).isBetween(400, 499);
    }
    System.out.println("bad-input campaign: REST statuses " + statuses);

    List<String> written = keysOn(Topics.REGISTRATIONS.name());
    assertThat(written).noneMatch(key -> key.startsWith("fuzz-"));
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"after-fuzz-" + UUID.randomUUID().toString().substring(0, 6)
        + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}").status()).isEqualTo(201);
  }

  @Test
  void shouldDeadLetterGarbageOnTheTopicsAndKeepServing() {
    String prefix = "garbage-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < N; i++) {
        producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), prefix + "raw-" + i, garbage(i)));
        producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), prefix + "reg-" + i, garbage(i)));
      }
      // a registration whose key does not match its apiId: ignored by ingest and the API
      byte[] mismatched = Topics.REGISTRATIONS.valueSerde().serializer().serialize("t", Registration.newBuilder()
          .setApiId("someone-else").setUrl("https://example.org/").build());
      producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), prefix + "mismatch", mismatched));
    }

    long deadLetters = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> deadLettersWithPrefix(prefix), count -> count >= 2L * N);
    System.out.println("bad-input campaign: dead letters " + deadLetters);
    assertThat(rest.get("/health/ready").status()).isEqualTo(200);
    assertThat(rest.get("/apis/" + prefix + "mismatch").status()).isEqualTo(404);

    // valid work still flows end to end
    String apiId = prefix + "valid";
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}").status()).isEqualTo(201);
    Properties typed = new Properties();
    typed.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(typed, new StringSerializer(),
        Topics.RAW_POLLS.valueSerde().serializer())) {
      byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), apiId, PollResult.newBuilder().setApiId(apiId)
          .setSequence(1).setRequestedAt(Instant.now()).setLatencyMs(1).setHttpStatus(200)
          .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build()));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> rest.get("/apis/" + apiId + "/status").json()
        .path("samples").asLong() == 1);
  }

  private static byte[] garbage(int i) {
    return switch (i % 4) {
      case 0 -> randomBytes(1 + RANDOM.nextInt(200));
      case 1 -> ("{\"apiId\":\"x\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      case 2 -> { // a valid single-object header with a truncated or corrupted body
        byte[] valid = Topics.REGISTRATIONS.valueSerde().serializer().serialize("t", Registration.newBuilder()
            .setApiId("x" + i).setUrl("https://example.org/" + i).build());
        yield Arrays.copyOf(valid, 10 + RANDOM.nextInt(Math.max(1, valid.length - 10)));
      }
      default -> { // the marker bytes and a random fingerprint
        byte[] bytes = randomBytes(40);
        bytes[0] = (byte) 0xC3;
        bytes[1] = 0x01;
        yield bytes;
      }
    };
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String malformedRegistration(String apiId) {
    String url = "\"url\":\"https://example.org/x\"";
    String id = "\"apiId\":\"" + apiId + "\"";
    return switch (RANDOM.nextInt(16)) {
      case 0 -> "{" + id + "}";                                             // no url
      case 1 -> "{" + id + ",\"url\":\"" + randomText(20) + "\"}";            // junk url
      case 2 -> "{" + id + ",\"url\":" + RANDOM.nextInt() + "}";              // wrong type
      case 3 -> "{" + id + "," + url + ",\"pollIntervalMs\":\"" + RANDOM.nextInt(9999) + "\"}";
      case 4 -> "{" + id + "," + url + ",\"pollIntervalMs\":" + (RANDOM.nextInt(999) - 500) + "}";
      case 5 -> "{" + id + "," + url + ",\"mode\":\"" + randomText(6) + "\"}";
      case 6 -> "{" + id + "," + url + ",\"headers\":{\"X-A\":\"v\\r\\nInjected: " + RANDOM.nextInt() + "\"}}";
      case 7 -> "{" + id + "," + url + ",\"headers\":{\"Bad Name\":\"v\"}}";
      case 8 -> "{" + id + "," + url + ",\"" + randomText(8) + "\":1}";         // unknown field
      case 9 -> "{\"apiId\":\"../" + apiId + "\"," + url + "}";                 // path traversal in id
      case 10 -> "{" + id + ",\"url\":\"http://user:pass@example.org/\"}";
      case 11 -> "{" + id + ",\"url\":\"gopher://example.org/\"}";
      case 12 -> "{" + id + "," + url.substring(0, RANDOM.nextInt(url.length()));  // truncated JSON
      case 13 -> new String(randomBytes(1 + RANDOM.nextInt(100)), StandardCharsets.ISO_8859_1);
      case 14 -> "{" + id + "," + url + ",\"jsonPointer\":\"no-slash\",\"alertOnChange\":\"yes\"}";
      default -> "[" + id + "]";
    };
  }

  private static String randomText(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append((char) (33 + RANDOM.nextInt(90)));
    }
    return text.toString().replace("\"", "'").replace("\\", "/");
  }

  private static List<String> keysOn(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "campaign-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      for (int emptyPolls = 0; emptyPolls < 3; ) {
        var records = consumer.poll(Duration.ofMillis(500));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        records.forEach(record -> keys.add(record.key()));
      }
    }
    return keys;
  }

  private static long deadLettersWithPrefix(String prefix) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "campaign-dlq-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    long count = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DLQ.name()));
      for (int emptyPolls = 0; emptyPolls < 2; ) {
        var records = consumer.poll(Duration.ofMillis(500));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (ConsumerRecord<String, byte[]> record : records) {
          if (record.key() != null && record.key().startsWith(prefix)
              && record.headers().lastHeader("__streams.errors.message") != null) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
