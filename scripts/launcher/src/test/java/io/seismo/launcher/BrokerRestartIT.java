package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.config.Settings;
import io.seismo.schemas.topic.Topics;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The broker crashes under load (SIGKILL of a real broker JVM) and comes back on the same data: the
 * ingest, topology and API reconnect by themselves, the polls taken during the outage are delivered
 * once it is over (nothing lost, nothing duplicated) and the analysis carries on from them.
 */
class BrokerRestartIT {

  private static final List<String> APIS = List.of("restart-a", "restart-b", "restart-c");
  private static final Duration OUTAGE = Duration.ofSeconds(8);

  @Test
  void shouldResumeWithoutLossWhenTheBrokerCrashesAndRestarts() throws Exception {
    Path home = Files.createTempDirectory("broker-restart-it");
    int port = freePort();
    int controllerPort = freePort();
    DemoUpstream upstream = DemoUpstream.start(0, 2, Clock.systemUTC());
    LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), port, controllerPort);
    SeismoStack stack = null;
    try {
      stack = SeismoStack.start(broker.bootstrapServers(), new Settings(Map.of(
          "SEISMO_API_PORT", "0",
          "SEISMO_API_WRITE_TOKENS", "restart-token",
          "SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
          "SEISMO_TOPOLOGY_STATE_DIR", home.resolve("streams").toString(),
          "SEISMO_TOPOLOGY_THREADS", "1")), 2);
      RestClient rest = new RestClient(stack.apiUrl());
      await().atMost(Duration.ofSeconds(90)).until(() -> rest.get("/health/ready").status() == 200);
      for (String apiId : APIS) {
        upstream.put("/" + apiId, "{\"api\":\"" + apiId + "\"}");
        assertThat(rest.post("/apis", "restart-token", "{\"apiId\":\"" + apiId + "\",\"url\":\""
            + upstream.url("/" + apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> APIS.stream().allMatch(id -> samples(rest, id) >= 3));
      Map<String, Long> before = new java.util.HashMap<>();
      APIS.forEach(id -> before.put(id, samples(rest, id)));

      Instant down = Instant.now();
      broker.kill();
      Thread.sleep(OUTAGE.toMillis());
      Instant up = Instant.now();
      broker = LocalKafkaBroker.start(home.resolve("kafka"), port, controllerPort);

      // everything reconnects by itself: the analysis catches up with the polls of the outage and goes on
      long outageSeconds = OUTAGE.toSeconds();
      await().atMost(Duration.ofSeconds(120)).until(() -> APIS.stream().allMatch(id ->
          samples(rest, id) >= before.get(id) + outageSeconds + 3
              && "RUNNING".equals(rest.get("/apis/" + id + "/status").json().path("state").asText())));

      // nothing lost, nothing twice: every API has polls from inside the outage, and no (apiId, sequence) repeats
      List<PollResult> polls = rawPolls(broker.bootstrapServers());
      for (String apiId : APIS) {
        List<PollResult> mine = polls.stream().filter(poll -> poll.getApiId().equals(apiId)).toList();
        Set<Long> sequences = new HashSet<>();
        mine.forEach(poll -> sequences.add(poll.getSequence()));
        assertThat(sequences).as(apiId + ": duplicated polls").hasSameSizeAs(mine);
        long duringOutage = mine.stream().filter(poll -> !poll.getRequestedAt().isBefore(down.plusSeconds(1))
            && poll.getRequestedAt().isBefore(up)).count();
        assertThat(duringOutage).as(apiId + ": polls taken while the broker was down, delivered afterwards")
            .isGreaterThanOrEqualTo(outageSeconds - 3);
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
      broker.close();
      upstream.close();
    }
  }

  private static long samples(RestClient rest, String apiId) {
    RestClient.Answer status = rest.get("/apis/" + apiId + "/status");
    return status.status() == 200 ? status.json().path("samples").asLong() : -1;
  }

  private static List<PollResult> rawPolls(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<PollResult> polls = new ArrayList<>();
    try (KafkaConsumer<String, PollResult> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        Topics.RAW_POLLS.valueSerde().deserializer())) {
      List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(Topics.RAW_POLLS.name()).stream()
          .map(info -> new org.apache.kafka.common.TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, PollResult> record : consumer.poll(Duration.ofMillis(200))) {
          polls.add(record.value());
        }
      }
    }
    return polls;
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
