package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two ingest processes (child JVMs) share the APIs; one is killed with SIGKILL while it polls. Checked
 * against the upstream's own record of every request it answered, and the raw topic as a plain
 * read_committed consumer reads it:
 *
 * <ul>
 *   <li>no duplicates: every (apiId, sequence), and every answered request, is on the topic at most once;</li>
 *   <li>nothing made up: every poll on the topic is a request the upstream answered;</li>
 *   <li>bounded loss: every answered request is on the topic, except requests of the killed instance's
 *       APIs answered in the last {@link #IN_FLIGHT} before the kill (taken, not yet delivered when the
 *       process died);</li>
 *   <li>bounded gap: every API of the killed instance is polled again, by the survivor, within
 *       {@link #TAKEOVER} of the kill (session timeout, then reassignment, registration load, first poll),
 *       and every API keeps being polled on the survivor.</li>
 * </ul>
 * The test runs on a broker of its own: the group's session timeout is set short there (the broker's
 * minimum is 45 s by default), and no other test's registrations reach the two instances.
 */
@Tag("system") // ./mvnw verify -Psystem
class IngestFailoverIT {

  private static final Logger log = LoggerFactory.getLogger(IngestFailoverIT.class);

  private static final int PARTITIONS = 3;
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(5);
  /** Kill to the first poll of a moved API: session timeout + heartbeat + registration load + first poll (≤ 1 interval). */
  private static final Duration TAKEOVER = SESSION_TIMEOUT.plusSeconds(8);
  /** A request answered this shortly before the kill may still have been in the killed process, undelivered. */
  private static final Duration IN_FLIGHT = Duration.ofSeconds(2);

  @Test
  void shouldResumeEveryApiOnTheSurvivorWithoutDuplicatesAndWithABoundedGapWhenAnIngestIsKilled() throws Exception {
    String group = "failover-it-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir = Files.createTempDirectory("ingest-failover-it");
    Path runningA = dir.resolve("a.running");
    Path runningB = dir.resolve("b.running");
    Process a = null;
    Process b = null;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of(
            "group.consumer.min.session.timeout.ms", "1000",
            "group.consumer.session.timeout.ms", Long.toString(SESSION_TIMEOUT.toMillis()),
            "group.consumer.min.heartbeat.interval.ms", "500",
            "group.consumer.heartbeat.interval.ms", "500"));
         RecordingUpstream upstream = RecordingUpstream.start()) {
      String bootstrap = broker.bootstrapServers();
      SeismoStack.createTopics(bootstrap, PARTITIONS);
      List<String> apiIds = TestStack.apiIdsOnEveryPartition("failover-", 3);
      register(bootstrap, upstream, apiIds);
      a = start(bootstrap, group, runningA, dir.resolve("a.log"));
      b = start(bootstrap, group, runningB, dir.resolve("b.log"));

      // both instances poll, every API on exactly one of them
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
        Set<String> onA = running(runningA);
        Set<String> onB = running(runningB);
        return !onA.isEmpty() && !onB.isEmpty() && onA.size() + onB.size() == apiIds.size()
            && union(onA, onB).equals(Set.copyOf(apiIds));
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> apiIds.stream().allMatch(id -> servedCount(upstream, id) >= 3));

      // SIGKILL mid-work: no close, no flush, no leaving the group
      Set<String> killedApis = running(runningA);
      Instant killedAt = Instant.now();
      a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Instant deadAt = Instant.now();
      assertThat(a.isAlive()).isFalse();

      // every API is polled on the survivor, the moved ones included
      await().atMost(TAKEOVER.plusSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> running(runningB).equals(Set.copyOf(apiIds)));
      await().atMost(Duration.ofSeconds(30)).until(() -> apiIds.stream().allMatch(id -> upstream.served().stream()
          .filter(s -> s.apiId().equals(id) && s.at().isAfter(deadAt)).count() >= 3));
      Instant cutoff = Instant.now();

      // the survivor delivers what it took before the cut-off within seconds: until then, the last failure is shown
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        List<RawPolls.Poll> polls = RawPolls.read(bootstrap);
        List<RecordingUpstream.Served> served = upstream.served();
        Map<String, RecordingUpstream.Served> byRequest = served.stream()
            .collect(Collectors.toMap(s -> s.apiId() + "#" + s.n(), s -> s));
        Set<String> delivered = RawPolls.assertDeliveredOnce(polls, byRequest.keySet());

        List<RecordingUpstream.Served> missing = served.stream()
            .filter(s -> s.at().isBefore(cutoff) && !delivered.contains(s.apiId() + "#" + s.n())).toList();
        assertThat(missing).as("answered requests missing from the raw topic (killed at %s, dead at %s)", killedAt, deadAt)
            .allSatisfy(s -> {
              assertThat(killedApis).as("API of the killed instance").contains(s.apiId());
              assertThat(s.at()).as("answered within %s before the kill", IN_FLIGHT)
                  .isAfterOrEqualTo(killedAt.minus(IN_FLIGHT)).isBeforeOrEqualTo(deadAt);
            });
        long gapMs = 0;
        for (String apiId : apiIds) {
          List<Instant> after = polls.stream().filter(p -> p.error() == null && p.apiId().equals(apiId))
              .map(p -> byRequest.get(p.request()).at()).filter(at -> at.isAfter(deadAt)).sorted().toList();
          assertThat(after.size()).as(apiId + ": polls delivered by the survivor").isGreaterThanOrEqualTo(3);
          if (killedApis.contains(apiId)) {
            assertThat(Duration.between(killedAt, after.getFirst())).as(apiId + ": kill to first poll on the survivor")
                .isLessThanOrEqualTo(TAKEOVER);
            gapMs = Math.max(gapMs, Duration.between(killedAt, after.getFirst()).toMillis());
          }
        }
        log.info("failover checked: polls={} failedPolls={} answered={} killedApis={} missingInFlight={} longestTakeoverMs={}",
            polls.size(), RawPolls.failed(polls), served.size(), killedApis.size(), missing.size(), gapMs);
      });
    } finally {
      for (Process process : new Process[] {a, b}) {
        if (process != null && process.isAlive()) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // a failed await leaves no JVM behind
        }
      }
    }
  }

  private static void register(String bootstrap, RecordingUpstream upstream, List<String> apiIds) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, Registration> producer = new KafkaProducer<>(props, new StringSerializer(),
        Topics.REGISTRATIONS.valueSerde().serializer())) {
      Instant now = Instant.now();
      for (String apiId : apiIds) {
        producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), apiId, Registration.newBuilder()
            .setApiId(apiId).setUrl(upstream.url(apiId)).setPollIntervalMs(1000).setDesiredState(DesiredState.RUNNING)
            .setVersion(1).setCreatedAt(now).setUpdatedAt(now).build())).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Process start(String bootstrap, String group, Path running, Path log) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), CrashableIngestMain.class.getName(),
        bootstrap, group, running.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The apiIds an instance last reported polling; none before its first report. */
  private static Set<String> running(Path file) throws IOException {
    try {
      return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).collect(Collectors.toSet());
    } catch (NoSuchFileException notYet) {
      return Set.of();
    }
  }

  private static long servedCount(RecordingUpstream upstream, String apiId) {
    return upstream.served().stream().filter(s -> s.apiId().equals(apiId)).count();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
