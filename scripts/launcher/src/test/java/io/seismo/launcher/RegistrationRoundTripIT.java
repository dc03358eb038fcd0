package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
    assertThat(put.header("ETag")).isEqualTo("\"2\"");
    Registration written = lastWritten(apiId);
    assertThat(written.getVersion()).isEqualTo(2);
    assertThat(written.getHeaders()).isEqualTo(Map.of("Authorization", secret, "X-Trace", "t"));
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
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
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
