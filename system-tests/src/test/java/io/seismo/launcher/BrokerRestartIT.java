package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.runtime.config.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker crashes under load (SIGKILL of a real broker JVM, twelve APIs polled every second) and
 * stays down for {@link #OUTAGE} before it comes back on the same data. The ingest keeps polling on
 * schedule and holds the polls in its outage buffer: checked against the upstream's own record of
 * every request it answered, not one is missing from the raw topic and none is there twice; the
 * ingest, topology and API reconnect by themselves, and the analysis counts every poll exactly once
 * (status samples == the API's records on the raw topic).
 */
@Tag("system") // ./mvnw verify -Psystem
class BrokerRestartIT {

  private static final Logger log = LoggerFactory.getLogger(BrokerRestartIT.class);

  private static final List<String> APIS = IntStream.rangeClosed(1, 12).mapToObj(i -> "restart-" + i).toList();
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  void shouldResumeWithoutLossWhenTheBrokerCrashesAndRestarts() throws Exception {
    Path home = Files.createTempDirectory("broker-restart-it");
    int port = freePort();
    int controllerPort = freePort();
    RecordingUpstream upstream = RecordingUpstream.start();
    LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), port, controllerPort);
    SeismoStack stack = null;
    try {
      stack = SeismoStack.start(broker.bootstrapServers(), new Settings(Map.of(
          "SEISMO_API_PORT", "0",
          "SEISMO_API_WRITE_TOKENS", "restart-token",
          "SEISMO_API_RATE_LIMIT", "100000",
          "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
          "SEISMO_TOPOLOGY_STATE_DIR", home.resolve("streams").toString(),
          "SEISMO_TOPOLOGY_THREADS", "1")), 2);
      RestClient rest = new RestClient(stack.apiUrl());
      await().atMost(Duration.ofSeconds(90)).until(() -> rest.get("/health/ready").status() == 200);
      for (String apiId : APIS) {
        assertThat(rest.post("/apis", "restart-token", "{\"apiId\":\"" + apiId + "\",\"url\":\""
            + upstream.url(apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> APIS.stream().allMatch(id -> samples(rest, id) >= 3));
      Map<String, Long> before = new HashMap<>();
      APIS.forEach(id -> before.put(id, samples(rest, id)));

      Instant down = Instant.now();
      broker.kill();
      Thread.sleep(OUTAGE.toMillis());
      Instant up = Instant.now();
      broker = LocalKafkaBroker.start(home.resolve("kafka"), port, controllerPort);
      String bootstrap = broker.bootstrapServers();

      // everything reconnects by itself: the analysis catches up with the polls of the outage and goes on
      long outageSeconds = OUTAGE.toSeconds();
      await().atMost(Duration.ofSeconds(120)).until(() -> APIS.stream().allMatch(id ->
          samples(rest, id) >= before.get(id) + outageSeconds + 3
              && "RUNNING".equals(rest.get("/apis/" + id + "/status").json().path("state").asText())));

      // nothing lost, nothing twice: every request answered before the cut-off is on the raw topic, once
      Instant cutoff = Instant.now();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        List<RawPolls.Poll> polls = RawPolls.read(bootstrap);
        List<RecordingUpstream.Served> served = upstream.served();
        Set<String> answered = served.stream().map(s -> s.apiId() + "#" + s.n()).collect(Collectors.toSet());
        Set<String> delivered = RawPolls.assertDeliveredOnce(polls, answered);
        assertThat(served.stream().filter(s -> s.at().isBefore(cutoff) && !delivered.contains(s.apiId() + "#" + s.n())))
            .as("answered requests missing from the raw topic (broker down %s, up %s)", down, up).isEmpty();
        for (String apiId : APIS) {
          assertThat(served.stream().filter(s -> s.apiId().equals(apiId) && s.at().isAfter(down) && s.at().isBefore(up)).count())
              .as(apiId + ": requests answered while the broker was down").isGreaterThanOrEqualTo(outageSeconds - 3);
        }
        log.info("broker restart checked: down={} up={} polls={} failedPolls={} answered={} answeredWhileDown={}", down, up,
            polls.size(), RawPolls.failed(polls), served.size(),
            served.stream().filter(s -> s.at().isAfter(down) && s.at().isBefore(up)).count());
      });

      // samples counted exactly: once polling stops, every API's status counts exactly its records on the raw topic
      for (String apiId : APIS) {
        assertThat(rest.post("/apis/" + apiId + "/stop", "restart-token", "").status()).isEqualTo(200);
      }
      SeismoStack running = stack;
      await().atMost(Duration.ofSeconds(30)).until(() -> running.ingest().runningApis().stream().noneMatch(APIS::contains));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        Map<String, Long> onTopic = RawPolls.read(bootstrap).stream()
            .collect(Collectors.groupingBy(RawPolls.Poll::apiId, Collectors.counting()));
        for (String apiId : APIS) {
          assertThat(samples(rest, apiId)).as(apiId + ": status samples == its raw polls").isEqualTo(onTopic.get(apiId));
        }
      });
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
