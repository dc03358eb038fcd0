package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.schemas.Change;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.config.Settings;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.replay.Replay;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Raw history replayed through the topology gives the same changes as the live run, and only those after --from. */
class ReplayIT {

  private static final String[] HISTORY = {"{\"v\":1}", "{\"v\":1}", "{\"v\":2}", "{\"v\":2}", "{\"v\":3,\"x\":[1]}",
      "{\"v\":3,\"x\":[1]}", "{\"v\":3,\"x\":[1,2]}", "{\"v\":4}", "{\"v\":4}", "{\"v\":4}"};

  private final RestClient rest = new RestClient(TestStack.stack().apiUrl());

  @Test
  void shouldReproduceLiveChangesWhenReplayingHistory() throws Exception {
    String apiId = "replay-" + UUID.randomUUID().toString().substring(0, 8);
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/history\",\"desiredState\":\"STOPPED\"}").status()).isEqualTo(201);
    Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    produceHistory(apiId, base);
    await().atMost(Duration.ofSeconds(30)).until(() -> rest.get("/apis/" + apiId + "/status").json()
        .path("samples").asLong() == HISTORY.length);
    List<Change> live = changes(Topics.CHANGES.name(), apiId, 4);
    assertThat(live).hasSize(4);

    Replay.Result full = replay(base.minusSeconds(1), Optional.empty());
    Replay.Result tail = replay(base.plusSeconds(5), Optional.of(base.plusSeconds(8)));

    assertThat(changes(full.outputTopic(Topics.CHANGES.name()), apiId, 4))
        .extracting(Change::getSequence, Change::getPatch, Change::getNewHash)
        .containsExactlyElementsOf(live.stream().map(c -> org.assertj.core.groups.Tuple.tuple(
            c.getSequence(), c.getPatch(), c.getNewHash())).toList());
    // from the 6th sample (baseline {"v":3,"x":[1]}) to the 9th: the changes of samples 7 and 8 only
    assertThat(changes(tail.outputTopic(Topics.CHANGES.name()), apiId, 2))
        .extracting(Change::getSequence).containsExactly(7L, 8L);
    assertThat(full.rawRecords()).isGreaterThanOrEqualTo(HISTORY.length);
  }

  private static Replay.Result replay(Instant from, Optional<Instant> to) throws Exception {
    TopologyConfig base = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers(), "SEISMO_TOPOLOGY_THREADS", "1")));
    String appId = "replay-it-" + UUID.randomUUID().toString().substring(0, 8);
    return Replay.run(base, new Replay.Request(appId, from, to, Files.createTempDirectory("replay-it"),
        TestStack.PARTITIONS), Duration.ofSeconds(60));
  }

  private static void produceHistory(String apiId, Instant base) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
        Topics.RAW_POLLS.valueSerde().serializer())) {
      for (int i = 0; i < HISTORY.length; i++) {
        byte[] body = HISTORY[i].getBytes(StandardCharsets.UTF_8);
        Instant at = base.plusSeconds(i);
        PollResult poll = PollResult.newBuilder().setApiId(apiId).setSequence(i + 1).setRequestedAt(at)
            .setLatencyMs(10 + i).setHttpStatus(200).setHeaderBytes(120).setWireBodyBytes(body.length)
            .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build();
        producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), null, at.toEpochMilli(), apiId, poll));
      }
    }
  }

  private static List<Change> changes(String topic, String apiId, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "replay-it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Change> changes = new ArrayList<>();
    try (KafkaConsumer<String, Change> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        Topics.CHANGES.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Change> record : consumer.poll(Duration.ofMillis(300))) {
          if (apiId.equals(record.key())) {
            changes.add(record.value());
          }
        }
        if (changes.size() >= expected) {
          consumer.poll(Duration.ofMillis(500)).forEach(record -> {
            if (apiId.equals(record.key())) {
              changes.add(record.value());
            }
          });
          break;
        }
      }
    }
    return changes;
  }
}
