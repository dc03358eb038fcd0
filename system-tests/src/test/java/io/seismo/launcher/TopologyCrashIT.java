package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.topology.TopologyService;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.store.StoreNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exactly once under crashes: the topology runs in its own JVM and is killed with SIGKILL again and
 * again while an API's history arrives and other APIs' polls keep it busy — at least one kill must
 * leave a transaction open at the coordinator, i.e. land mid-transaction; afterwards the committed changes hold every expected change
 * exactly once, the committed status agrees with them, and — read from the stores of a last instance
 * started in this JVM — the windows (written behind, once per commit) count every poll and change
 * exactly once.
 */
@Tag("system") // ./mvnw verify -Psystem
class TopologyCrashIT {

  private static final int POLLS = 60;

  @Test
  void shouldEmitEveryChangeExactlyOnceWhenKilledRepeatedly() throws Exception {
    TestStack.stack(); // the shared stack creates the raw topics
    String apiId = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    String appId = "crash-it-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = appId + ".";
    Path state = Files.createTempDirectory("crash-it");
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (Admin admin = Admin.create(adminProps)) {
      new TopicInitializer(admin, TestStack.PARTITIONS, Optional.empty()).ensure(List.<TopicSpec<?, ?>>of(
          Topics.STATUS, Topics.CHANGES, Topics.METRICS, Topics.FIELD_CHANGES, Topics.ALERTS).stream()
          .<TopicSpec<?, ?>>map(spec -> spec.named(prefix + spec.name())).toList());
    }

    List<Long> expectedChanges = new ArrayList<>();
    Process topology = null;
    Instant base = Instant.now().minusSeconds(600);
    int kills = 0;
    int killsMidTransaction = 0;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    // other APIs' polls arrive all the time, so the topology always has records in flight and a transaction open
    Filler filler = new Filler(props, appId);
    try (Admin admin = Admin.create(adminProps);
         KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
             Topics.RAW_POLLS.valueSerde().serializer())) {
      filler.start();
      int version = 0;
      for (int i = 1; i <= POLLS; i++) {
        if (i % 12 == 1) {
          topology = start(appId, state);
        }
        if (i % 3 == 0) {
          version++;
          expectedChanges.add((long) i);
        }
        if (i % 12 == 0) {
          // let this instance commit part of its batch first
          long processedAtLeast = i - 6;
          int kill = kills + 1;
          await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            List<ApiStatus> seen = committed(prefix + Topics.STATUS.name(), apiId, ApiStatus.class);
            assertThat(seen.isEmpty() ? -1 : seen.getLast().getSamples()).as("committed samples before kill " + kill)
                .isGreaterThanOrEqualTo(processedAtLeast);
          });
        }
        byte[] body = ("{\"version\":" + version + ",\"i\":\"" + "x".repeat(version % 5) + "\"}").getBytes(StandardCharsets.UTF_8);
        Instant at = base.plusSeconds(i);
        producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), null, at.toEpochMilli(), apiId,
            PollResult.newBuilder().setApiId(apiId).setSequence(i).setRequestedAt(at).setLatencyMs(5).setHttpStatus(200)
                .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build())).get();
        TimeUnit.MILLISECONDS.sleep(i % 12 == 0 ? 20 + 40L * kills : 50);
        if (i % 12 == 0) {
          // then kill it with no warning (SIGKILL: no close, no commit) while it works on the rest
          topology.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          kills++;
          if (transactionLeftOpen(admin, appId)) {
            killsMidTransaction++;
          }
        }
      }
    } finally {
      filler.stop();
      if (topology != null && topology.isAlive()) {
        topology.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // a failed await leaves no JVM behind
      }
    }
    assertThat(kills).isEqualTo(POLLS / 12);
    assertThat(killsMidTransaction).as("kills that left the topology's transaction open").isGreaterThanOrEqualTo(1);
    try (TopologyService last = TopologyService.start(CrashableTopologyMain.config(
        SharedKafkaBroker.bootstrapServers(), appId, state))) {
      List<Change> changes = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> committed(prefix + Topics.CHANGES.name(), apiId, Change.class), list -> list.size() >= expectedChanges.size());
      List<ApiStatus> statuses = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
          .until(() -> committed(prefix + Topics.STATUS.name(), apiId, ApiStatus.class),
              list -> !list.isEmpty() && list.getLast().getSamples() == POLLS);

      assertThat(changes).extracting(Change::getSequence).containsExactlyElementsOf(expectedChanges);
      assertThat(statuses.getLast().getChanges()).isEqualTo(expectedChanges.size());
      assertThat(statuses).extracting(ApiStatus::getSamples).isSorted().doesNotHaveDuplicates();
      for (TimeWindow window : TimeWindow.values()) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          List<ApiMetrics> windows = windows(last, window, apiId, base);
          assertThat(windows.stream().mapToLong(ApiMetrics::getSamples).sum()).as(window.label() + " samples").isEqualTo(POLLS);
          assertThat(windows.stream().mapToLong(ApiMetrics::getChanges).sum()).as(window.label() + " changes")
              .isEqualTo(expectedChanges.size());
        });
      }
      // and the committed window aggregates on the output topic, as a plain read_committed consumer reads them
      for (TimeWindow window : TimeWindow.values()) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          Map<Long, ApiMetrics> latest = new HashMap<>();
          for (ApiMetrics metrics : committedWindows(prefix + Topics.METRICS.name(), apiId)) {
            if (metrics.getWindow().equals(window.label())) {
              latest.put(metrics.getWindowStart(), metrics);
            }
          }
          assertThat(latest.values().stream().mapToLong(ApiMetrics::getSamples).sum()).as(window.label() + " topic samples")
              .isEqualTo(POLLS);
          assertThat(latest.values().stream().mapToLong(ApiMetrics::getChanges).sum()).as(window.label() + " topic changes")
              .isEqualTo(expectedChanges.size());
        });
      }
      assertChangelogConfigs(appId);
    }
  }

  /**
   * Whether the transaction coordinator holds an open transaction of the (dead) topology: it was killed
   * with records processed but not committed. Nobody can commit it any more; the next instance fences
   * it and the coordinator aborts it.
   */
  private static boolean transactionLeftOpen(Admin admin, String appId) throws Exception {
    return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
        .all().get(30, TimeUnit.SECONDS).stream().anyMatch(listing -> listing.transactionalId().startsWith(appId));
  }

  /** Polls of other APIs, about 5 a second: each opens a transaction that the next commit (500 ms later) closes, on a thread of their own. */
  private static final class Filler {
    private final Properties props;
    private final String appId;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    Filler(Properties props, String appId) {
      this.props = props;
      this.appId = appId;
    }

    void start() {
      thread = Thread.ofPlatform().name("crash-it-filler").start(() -> {
        try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
            Topics.RAW_POLLS.valueSerde().serializer())) {
          for (long n = 0; running.get(); n++) {
            String apiId = appId + "-filler-" + (n % 6);
            byte[] body = ("{\"n\":" + (n / 50) + "}").getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), apiId, PollResult.newBuilder().setApiId(apiId)
                .setSequence(n).setRequestedAt(Instant.now()).setLatencyMs(1).setHttpStatus(200)
                .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build()));
            TimeUnit.MILLISECONDS.sleep(200);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }

    void stop() throws InterruptedException {
      running.set(false);
      if (thread != null) {
        thread.join(10_000);
      }
    }
  }

  /** Window changelogs expire with the window's retention (plus Kafka Streams' extra day); the rest compact. */
  private static void assertChangelogConfigs(String appId) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      for (TimeWindow window : TimeWindow.values()) {
        Config config = changelogConfig(admin, appId, StoreNames.metrics(window));
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(window.label()).isEqualTo("compact,delete");
        assertThat(Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value())).as(window.label())
            .isEqualTo(window.retention().plus(Duration.ofDays(1)).toMillis());
      }
      for (String store : List.of(StoreNames.STATUS, StoreNames.EXECUTIONS, StoreNames.RECENT_CHANGES)) {
        assertThat(changelogConfig(admin, appId, store).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(store)
            .isEqualTo("compact");
      }
    }
  }

  private static Config changelogConfig(Admin admin, String appId, String store) throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, appId + "-" + store + "-changelog");
    return admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
  }

  private static List<ApiMetrics> windows(TopologyService topology, TimeWindow window, String apiId, Instant from) {
    List<ApiMetrics> windows = new ArrayList<>();
    try (var iterator = topology.streams().store(StoreQueryParameters.fromNameAndType(StoreNames.metrics(window),
        QueryableStoreTypes.<String, ApiMetrics>windowStore())).fetch(apiId, from.minus(window.size()), Instant.now())) {
      iterator.forEachRemaining(entry -> windows.add(entry.value));
    } catch (InvalidStateStoreException notYet) {
      throw new AssertionError("store not queryable yet: " + notYet.getMessage());
    }
    return windows;
  }

  private static Process start(String appId, Path state) throws IOException {
    Path log = Files.createTempFile("crash-it-topology", ".log");
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), CrashableTopologyMain.class.getName(),
        SharedKafkaBroker.bootstrapServers(), appId, state.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The committed window aggregates of {@code apiId}, in topic order (keys are {@code apiId@window@start}). */
  private static List<ApiMetrics> committedWindows(String topic, String apiId) {
    return committedValues(topic, key -> key.startsWith(apiId + "@"), ApiMetrics.class);
  }

  private static <T> List<T> committed(String topic, String apiId, Class<T> type) {
    return committedValues(topic, apiId::equals, type);
  }

  /**
   * The committed values of {@code topic} whose key passes {@code keys}, in offset order per partition, up to
   * the last stable offsets when the read starts (the topology keeps writing other APIs' records meanwhile).
   */
  private static <T> List<T> committedValues(String topic, Predicate<String> keys, Class<T> type) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    var serde = AvroSerde.of(type.asSubclass(SpecificRecord.class));
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions); // read_committed: the LSO
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " up to " + ends + " within 30 s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < ends.get(new TopicPartition(topic, record.partition()))
              && keys.test(record.key()) && record.value() != null) {
            values.add(type.cast(serde.deserialize(topic, record.value())));
          }
        }
      }
    }
    return values;
  }
}
