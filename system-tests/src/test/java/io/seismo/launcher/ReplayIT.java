package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.Change;
import io.seismo.schemas.PollResult;
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

  /**
   * Polls at base+i s and SSE data events at base+i.5 s (i = 0..9), every one a different document:
   * a replay from base+3 s to base+6 s analyses exactly the polls 3..6 and the SSE events 3..5 (both
   * raw topics start at --from and stop at --to), so it records one change per sample in the range but
   * the first (the baseline), and none outside it. The API is registered as SSE so that both raw topics
   * feed its one series (in mode BOTH the stream is measured beside the polls, not merged into them).
   */
  @Test
  void shouldReplayPollsAndSseEventsOverExactlyTheRequestedRangeWhenHistoryIsMixed() throws Exception {
    String apiId = "replay-mixed-" + UUID.randomUUID().toString().substring(0, 8);
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/mixed\",\"mode\":\"SSE\",\"desiredState\":\"STOPPED\"}").status())
        .isEqualTo(201);
    Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    produceMixedHistory(apiId, base);
    await().atMost(Duration.ofSeconds(30)).until(() -> rest.get("/apis/" + apiId + "/status").json()
        .path("samples").asLong() == 20);
    Instant from = base.plusSeconds(3);
    Instant to = base.plusSeconds(6);
    List<String> inRange = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Instant poll = base.plusSeconds(i);
      Instant event = poll.plusMillis(500);
      if (!poll.isBefore(from) && !poll.isAfter(to)) {
        inRange.add("POLL@" + poll);
      }
      if (!event.isBefore(from) && !event.isAfter(to)) {
        inRange.add("SSE@" + event);
      }
    }
    assertThat(inRange).hasSize(7);

    Replay.Result result = replay(from, Optional.of(to));

    List<String> replayed = changes(result.outputTopic(Topics.CHANGES.name()), apiId, inRange.size() - 1).stream()
        .map(change -> change.getSource() + "@" + change.getAt()).toList();
    assertThat(replayed).doesNotHaveDuplicates().hasSize(inRange.size() - 1);
    assertThat(inRange).containsAll(replayed);
    assertThat(result.rawRecords()).isGreaterThanOrEqualTo(4); // and other tests' history, on the shared broker
    assertThat(result.rawEvents()).isGreaterThanOrEqualTo(3);
  }

  private static void produceMixedHistory(String apiId, Instant base) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, PollResult> polls = new KafkaProducer<>(props, new StringSerializer(),
             Topics.RAW_POLLS.valueSerde().serializer());
         KafkaProducer<String, io.seismo.schemas.SseEvent> events = new KafkaProducer<>(props, new StringSerializer(),
             Topics.RAW_SSE.valueSerde().serializer())) {
      for (int i = 0; i < 10; i++) {
        byte[] body = ("{\"p\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        Instant at = base.plusSeconds(i);
        PollResult poll = PollResult.newBuilder().setApiId(apiId).setSequence(i + 1).setRequestedAt(at)
            .setLatencyMs(10).setHttpStatus(200).setHeaderBytes(120).setWireBodyBytes(body.length)
            .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build();
        polls.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), null, at.toEpochMilli(), apiId, poll));
        String data = "{\"s\":" + i + "}";
        Instant received = at.plusMillis(500);
        io.seismo.schemas.SseEvent event = io.seismo.schemas.SseEvent.newBuilder().setApiId(apiId)
            .setConnectionId("c1").setKind(io.seismo.schemas.SseEventKind.EVENT).setEventType("data")
            .setEventId(Integer.toString(i)).setData(data).setBytes(data.length() + 7L).setReceivedAt(received).build();
        events.send(new ProducerRecord<>(Topics.RAW_SSE.name(), null, received.toEpochMilli(), apiId, event));
      }
    }
  }

  private static Replay.Result replay(Instant from, Optional<Instant> to) throws Exception {
    TopologyConfig base = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers(), "SEISMO_TOPOLOGY_THREADS", "1")));
    String appId = "replay-it-" + UUID.randomUUID().toString().substring(0, 8);
    List<Replay.Progress> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    Replay.Result result = Replay.run(base, new Replay.Request(appId, from, to, Files.createTempDirectory("replay-it"),
        TestStack.PARTITIONS), Duration.ofSeconds(60), reports::add);
    // progress: never backwards, over the records in the range, and the last report says all of them are done
    assertThat(reports).isNotEmpty().allMatch(p -> p.total() == result.rawRecords() + result.rawEvents());
    assertThat(reports).extracting(Replay.Progress::done).isSorted();
    assertThat(reports.getLast().done()).isEqualTo(result.rawRecords() + result.rawEvents());
    assertThat(reports.getLast().lag()).isZero();
    return result;
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
