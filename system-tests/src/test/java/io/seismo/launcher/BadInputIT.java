package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed requests get a precise application/problem+json answer, and nothing reaches the control topic. */
class BadInputIT {

  private static final String PROBLEM = "application/problem+json";

  private final RestClient rest = new RestClient(TestStack.stack().apiUrl());

  @BeforeEach
  void ready() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  record BadRegistration(String apiId, String body, String field, String detail) {
    @Override
    public String toString() {
      return detail;
    }
  }

  static List<BadRegistration> badRegistrations() {
    return List.of(
        bad("bad-no-url", "{\"apiId\":\"bad-no-url\"}", "url", "is required"),
        bad("bad-url", "{\"apiId\":\"bad-url\",\"url\":\"ht!tp:/\\\\nope\"}", "url", "is not a valid URL: Illegal character in scheme name"),
        bad("bad-scheme", "{\"apiId\":\"bad-scheme\",\"url\":\"file:///etc/passwd\"}", "url", "http or https"),
        bad("bad-creds", "{\"apiId\":\"bad-creds\",\"url\":\"https://user:pw@example.org/\"}", "url", "credentials"),
        bad("bad-spaces", "{\"apiId\":\"bad-spaces\",\"url\":\"https://exa mple.org/\"}", "url", "not a valid URL"),
        bad("bad-interval-type", "{\"apiId\":\"bad-interval-type\",\"url\":\"https://example.org/\",\"pollIntervalMs\":\"5\"}",
            "pollIntervalMs", "expected an integer"),
        bad("bad-interval-small", "{\"apiId\":\"bad-interval-small\",\"url\":\"https://example.org/\",\"pollIntervalMs\":10}",
            "pollIntervalMs", "must be between 1000"),
        bad("bad-mode", "{\"apiId\":\"bad-mode\",\"url\":\"https://example.org/\",\"mode\":\"CARRIER_PIGEON\"}",
            "mode", "expected one of [POLL, SSE, BOTH]"),
        bad("bad-headers-type", "{\"apiId\":\"bad-headers-type\",\"url\":\"https://example.org/\",\"headers\":[\"x\"]}",
            "headers", "expected an object"),
        bad("bad-header-crlf", "{\"apiId\":\"bad-header-crlf\",\"url\":\"https://example.org/\",\"headers\":{\"X-A\":\"a\\r\\nInjected: 1\"}}",
            "headers.X-A", "printable ASCII, space and tab"),
        bad("bad-unknown", "{\"apiId\":\"bad-unknown\",\"url\":\"https://example.org/\",\"pollIntervall\":1000}",
            "pollIntervall", "known fields"),
        bad("bad-url-type", "{\"apiId\":\"bad-url-type\",\"url\":42}", "url", "expected a string"),
        bad("BAD ID", "{\"apiId\":\"BAD ID\",\"url\":\"https://example.org/\"}", "apiId", "must be 1-63 characters"),
        bad("bad-metadata", "{\"apiId\":\"bad-metadata\",\"url\":\"http://169.254.169.254/latest/meta-data/\"}",
            "url", "refused to connect to 169.254.169.254"),
        bad("bad-private", "{\"apiId\":\"bad-private\",\"url\":\"http://10.0.0.1/\"}", "url", "refused to connect"),
        bad("bad-ipv6-loopback", "{\"apiId\":\"bad-ipv6-loopback\",\"url\":\"http://[::ffff:10.1.2.3]/\"}", "url",
            "refused to connect"),
        bad("bad-hook", "{\"apiId\":\"bad-hook\",\"url\":\"https://example.org/\",\"notifyWebhooks\":[\"http://192.168.1.1/h\"]}",
            "notifyWebhooks[0]", "refused to connect"));
  }

  private static BadRegistration bad(String apiId, String body, String field, String detail) {
    return new BadRegistration(apiId, body, field, detail);
  }

  @ParameterizedTest
  @MethodSource("badRegistrations")
  void shouldAnswer400ProblemNamingTheFieldWhenRegistrationIsInvalid(BadRegistration bad) {
    RestClient.Answer answer = rest.post("/apis", TestStack.WRITE_TOKEN, bad.body());

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith(PROBLEM);
    JsonNode problem = answer.json();
    assertThat(problem.path("status").asInt()).isEqualTo(400);
    assertThat(problem.path("title").asText()).isEqualTo("Invalid request");
    assertThat(problem.path("errors").toString()).contains("\"field\":\"" + bad.field() + "\"").contains(bad.detail());
    assertNothingWritten(bad.apiId());
  }

  @Test
  void shouldAnswer400WhenBodyIsNotJson() {
    for (String body : List.of("apiId=x&url=y", "{\"apiId\":", "", "[1,2]", "null", "{\"apiId\":\"x\"} trailing")) {
      RestClient.Answer answer = rest.post("/apis", TestStack.WRITE_TOKEN, body);

      assertThat(answer.status()).as(body).isEqualTo(400);
      assertThat(answer.contentType()).startsWith(PROBLEM);
      assertThat(answer.json().path("detail").asText()).as(body)
          .containsAnyOf("not valid JSON", "must be a JSON object", "is empty");
    }
  }

  @Test
  void shouldAnswer401WithoutValidWriteToken() {
    String body = "{\"apiId\":\"bad-token\",\"url\":\"https://example.org/\"}";

    RestClient.Answer missing = rest.post("/apis", null, body);
    RestClient.Answer wrong = rest.post("/apis", "not-the-token", body);

    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.contentType()).startsWith(PROBLEM);
    assertThat(missing.json().path("detail").asText()).contains("Authorization: Bearer");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("not-the-token");
    assertNothingWritten("bad-token");
  }

  @Test
  void shouldAnswer413WhenBodyIsTooLarge() {
    String huge = "{\"apiId\":\"bad-huge\",\"url\":\"https://example.org/\",\"headers\":{\"X-Big\":\""
        + "x".repeat(200_000) + "\"}}";

    RestClient.Answer answer = rest.post("/apis", TestStack.WRITE_TOKEN, huge);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.contentType()).startsWith(PROBLEM);
    assertNothingWritten("bad-huge");
  }

  @Test
  void shouldAnswer404ProblemForUnknownApiAndRoute() {
    String unknown = "unknown-" + UUID.randomUUID();

    for (String path : List.of("/apis/" + unknown + "/status", "/apis/" + unknown, "/apis/" + unknown + "/document",
        "/no/such/route")) {
      RestClient.Answer answer = rest.get(path);
      assertThat(answer.status()).as(path).isEqualTo(404);
      assertThat(answer.contentType()).as(path).startsWith(PROBLEM);
    }
    assertThat(rest.get("/apis/" + unknown + "/status").json().path("detail").asText()).contains(unknown);
  }

  @Test
  void shouldAnswer409WhenApiIdIsTaken() {
    String apiId = "dup-" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}";
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, body).status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> rest.get("/apis/" + apiId).status() == 200);

    RestClient.Answer again = rest.post("/apis", TestStack.WRITE_TOKEN, body);

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith(PROBLEM);
    assertThat(registrationKeys()).containsOnlyOnce(apiId);
  }

  private static void assertNothingWritten(String apiId) {
    assertThat(registrationKeys()).doesNotContain(apiId);
  }

  /** Every key on the control topic, read to its end. */
  private static List<String> registrationKeys() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.REGISTRATIONS.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<String> keys = new ArrayList<>();
      Set<TopicPartition> done = new HashSet<>();
      while (done.size() < partitions.size()) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
        for (TopicPartition partition : partitions) {
          if (consumer.position(partition) >= end.get(partition)) {
            done.add(partition);
          }
        }
      }
      return keys;
    }
  }
}
