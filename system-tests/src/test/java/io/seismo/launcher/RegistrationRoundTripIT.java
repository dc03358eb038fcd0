package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a client that reads a registration and writes it back, or writes carelessly, gets. */
class RegistrationRoundTripIT {

  private final RestClient rest = new RestClient(TestStack.stack().apiUrl());

  @BeforeEach
  void ready() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  private static String newApiId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void shouldAcceptAGetBodyPutBackVerbatimAndKeepTheStoredSecret() {
    String apiId = newApiId("trip");
    String secret = "Bearer s3cr3t-" + UUID.randomUUID();
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/a\","
        + "\"desiredState\":\"STOPPED\",\"headers\":{\"Authorization\":\"" + secret + "\",\"X-Trace\":\"t\"}}").status())
        .isEqualTo(201);
    RestClient.Answer read = rest.get("/apis/" + apiId);
    assertThat(read.json().path("headers").path("Authorization").asText()).isEqualTo("<redacted>");

    RestClient.Answer put = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, read.body(), read.header("ETag"));

    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.header("ETag")).isEqualTo("\"2" + "-" + Instant.parse(read.json().path("createdAt").asText()).toEpochMilli() + "\"");
    Registration written = lastWritten(apiId);
    assertThat(written.getVersion()).isEqualTo(2);
    assertThat(written.getHeaders()).isEqualTo(Map.of("Authorization", secret, "X-Trace", "t"));
  }

  @Test
  void shouldAnswer415ProblemWhenAWriteIsNotJsonAndWriteNothing() throws Exception {
    String apiId = newApiId("media");
    String body = "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/a\",\"desiredState\":\"STOPPED\"}";

    for (String contentType : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
      HttpResponse<String> answer = raw("POST", "/apis", contentType, body, null);

      assertThat(answer.statusCode()).as(contentType).isEqualTo(415);
      assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      assertThat(new ObjectMapper().readTree(answer.body()).path("detail").asText())
          .isEqualTo("send the registration as Content-Type: application/json, not "
              + (contentType == null ? "without a Content-Type" : "'" + contentType + "'"));
    }
    assertThat(rest.get("/apis/" + apiId).status()).isEqualTo(404);
    assertThat(raw("POST", "/apis", "application/json; charset=utf-8", body, null).statusCode()).isEqualTo(201);
    HttpResponse<String> put = raw("PUT", "/apis/" + apiId, "text/plain",
        "{\"url\":\"https://example.org/b\"}", "\"1\"");
    assertThat(put.statusCode()).isEqualTo(415);
    assertThat(written(apiId)).isEqualTo(1);
  }

  @Test
  void shouldKeepStartAndStopIdempotentAndAPutWithoutDesiredStateKeepsIt() {
    String apiId = newApiId("idem");
    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/a\",\"desiredState\":\"STOPPED\"}");
    assertThat(created.status()).isEqualTo(201);
    String since = "-" + Instant.parse(created.json().path("createdAt").asText()).toEpochMilli() + "\""; // ETag: "<version>-<createdAt>"

    RestClient.Answer stopAgain = rest.post("/apis/" + apiId + "/stop", TestStack.WRITE_TOKEN, null);
    assertThat(stopAgain.status()).isEqualTo(200);
    assertThat(stopAgain.header("ETag")).isEqualTo("\"1" + since);
    assertThat(stopAgain.json().path("version").asLong()).isEqualTo(1);
    assertThat(written(apiId)).isEqualTo(1);

    RestClient.Answer put = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, "{\"url\":\"https://example.org/b\"}",
        "\"1" + since);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().path("desiredState").asText()).isEqualTo("STOPPED");

    assertThat(rest.post("/apis/" + apiId + "/start", TestStack.WRITE_TOKEN, null).header("ETag")).isEqualTo("\"3" + since);
    RestClient.Answer startAgain = rest.post("/apis/" + apiId + "/start", TestStack.WRITE_TOKEN, null);
    assertThat(startAgain.status()).isEqualTo(200);
    assertThat(startAgain.header("ETag")).isEqualTo("\"3" + since);
    assertThat(startAgain.json().path("desiredState").asText()).isEqualTo("RUNNING");
    assertThat(rest.post("/apis/" + apiId + "/stop", TestStack.WRITE_TOKEN, null).header("ETag")).isEqualTo("\"4" + since);
    assertThat(written(apiId)).isEqualTo(4);
  }

  private static HttpResponse<String> raw(String method, String path, String contentType, String body,
                                                        String ifMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(TestStack.stack().apiUrl() + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + TestStack.WRITE_TOKEN);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The registration's last value on the control topic, read with a plain read_committed consumer. */
  static Registration lastWritten(String apiId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Registration> values = new ArrayList<>();
    try (KafkaConsumer<String, Registration> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        Topics.REGISTRATIONS.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.REGISTRATIONS.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Registration> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key().equals(apiId)) {
            values.add(record.value());
          }
        }
      }
    }
    return values.getLast();
  }

  /** How many records the control topic holds for the key. */
  static long written(String apiId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long count = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.REGISTRATIONS.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key().equals(apiId)) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
