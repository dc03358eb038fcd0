package io.seismo.bench;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.config.Settings;
import io.seismo.schemas.topic.TopicInitializer;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import io.seismo.topology.TopologyService;
import io.seismo.topology.analysis.ContentHash;
import io.seismo.topology.config.TopologyConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Topology throughput on a real broker: the Seismo topology (exactly-once and at-least-once) against
 * a plain consumer → HashMap → producer doing the same hash compare. Throughput is measured from the
 * first commit to the last (start-up excluded, the same for both).
 */
final class KafkaBench {

  private final int records;
  private final int rounds;

  KafkaBench(boolean quick) {
    this.records = quick ? 10_000 : 240_000; // long enough that the last commit interval (500 ms) is a small part
    this.rounds = quick ? 1 : 4;
  }

  List<Row> run() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); Admin admin = admin(broker.bootstrapServers())) {
      new TopicInitializer(admin, 2, Optional.empty()).ensure(Topics.ALL);
      produce(broker.bootstrapServers());
      // The first round warms up the JIT (its compiler threads otherwise take most of a core during a
      // short run, and far more for the topology's larger code path). Each later round measures the
      // three in turn (the order alternates) and gives its own ratios; the round with the median ratio
      // is reported (runs on 2 cores, with the broker in this JVM, vary by ±20%).
      List<double[]> measured = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        double[] run = new double[3]; // plain, EOS, ALOS
        int[] order = round % 2 == 0 ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
        for (int which : order) {
          run[which] = switch (which) {
            case 0 -> plain(broker.bootstrapServers(), admin);
            case 1 -> seismo(broker.bootstrapServers(), admin, StreamsConfig.EXACTLY_ONCE_V2);
            default -> seismo(broker.bootstrapServers(), admin, StreamsConfig.AT_LEAST_ONCE);
          };
        }
        if (round > 0 || rounds == 1) {
          measured.add(run);
        }
      }
      double[] versusPlain = median(measured, run -> run[1] / run[0]);
      double[] versusAlos = median(measured, run -> run[1] / run[2]);
      String method = rounds > 1 ? "median of " + measured.size() + " rounds after a warm-up round" : "no warm-up (--quick)";
      return List.of(
          Row.higher("topology (EOS) vs consumer→HashMap→producer", "polls/s", versusPlain[1], versusPlain[0], 0.5,
              records + " polls, 100 APIs, 2 KB, 10% changed, real broker, 2 partitions, " + method
                  + "; ratios of the rounds " + ratios(measured, run -> run[1] / run[0])),
          Row.higher("topology exactly_once_v2 vs at_least_once", "polls/s", versusAlos[1], versusAlos[2], 0.7,
              "same topology, same records; ratios of the rounds " + ratios(measured, run -> run[1] / run[2])));
    }
  }

  /** The round whose ratio is the median (the lower middle one of an even count). */
  private static double[] median(List<double[]> rounds, java.util.function.ToDoubleFunction<double[]> ratio) {
    List<double[]> sorted = new ArrayList<>(rounds);
    sorted.sort(java.util.Comparator.comparingDouble(ratio));
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static String ratios(List<double[]> rounds, java.util.function.ToDoubleFunction<double[]> ratio) {
    return rounds.stream().map(run -> String.format(java.util.Locale.ROOT, "%.2f", ratio.applyAsDouble(run)))
        .collect(java.util.stream.Collectors.joining(" "));
  }

  private void produce(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    Random random = new Random(5);
    Map<String, Integer> versions = new HashMap<>();
    Instant start = Instant.now().minusSeconds(3600);
    try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
        Topics.RAW_POLLS.valueSerde().serializer())) {
      for (int i = 0; i < records; i++) {
        String apiId = "api-" + (i % 100);
        int version = versions.merge(apiId, random.nextInt(10) == 0 ? 1 : 0, Integer::sum);
        byte[] body = Documents.catalogue(2_000, version).getBytes(StandardCharsets.UTF_8);
        Instant at = start.plusMillis(i);
        producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), null, at.toEpochMilli(), apiId,
            PollResult.newBuilder().setApiId(apiId).setSequence(i).setRequestedAt(at).setLatencyMs(10 + i % 40)
                .setHttpStatus(200).setHeaderBytes(200).setWireBodyBytes(body.length).setBodyBytes(body.length)
                .setBody(ByteBuffer.wrap(body)).build()));
      }
    }
  }

  private double seismo(String bootstrap, Admin admin, String guarantee) throws Exception {
    String appId = "bench-" + guarantee.replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 6);
    TopologyConfig base = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", bootstrap,
        "SEISMO_TOPOLOGY_THREADS", "2",
        "SEISMO_KAFKA_PROCESSING_GUARANTEE", guarantee)));
    String prefix = appId + ".";
    java.nio.file.Path stateDir = Files.createTempDirectory("bench-streams");
    TopologyConfig config = base.asReplay(appId, stateDir, new TopologyConfig.Replay(prefix, Optional.empty()));
    new TopicInitializer(admin, 2, Optional.empty()).ensure(List.<TopicSpec<?, ?>>of(Topics.STATUS, Topics.CHANGES,
        Topics.METRICS, Topics.FIELD_CHANGES, Topics.ALERTS).stream().<TopicSpec<?, ?>>map(spec -> spec.named(prefix + spec.name())).toList());
    try (TopologyService service = TopologyService.start(config)) {
      return measure(admin, appId);
    } finally {
      org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
    }
  }

  private double plain(String bootstrap, Admin admin) throws Exception {
    String group = "bench-plain-" + UUID.randomUUID().toString().substring(0, 6);
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    String output = group + "-out";
    admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(output, 2, (short) 1)))
        .all().get(30, TimeUnit.SECONDS);
    Map<String, String> hashes = new HashMap<>();
    Thread worker = Thread.ofPlatform().start(() -> {
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
          new ByteArrayDeserializer());
           KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
               new StringSerializer())) {
        consumer.subscribe(List.of(Topics.RAW_POLLS.name()));
        while (!Thread.currentThread().isInterrupted()) {
          var batch = consumer.poll(Duration.ofMillis(100));
          for (ConsumerRecord<String, byte[]> record : batch) {
            PollResult poll = Topics.RAW_POLLS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            byte[] body = new byte[poll.getBody().remaining()];
            poll.getBody().duplicate().get(body);
            String hash = ContentHash.of(body);
            boolean changed = !hash.equals(hashes.put(record.key(), hash));
            producer.send(new ProducerRecord<>(output, record.key(), changed + ":" + hash));
          }
          if (!batch.isEmpty()) {
            producer.flush();
            consumer.commitSync();
          }
        }
      } catch (org.apache.kafka.common.errors.InterruptException stopped) {
        // measurement over
      }
    });
    try {
      return measure(admin, group);
    } finally {
      worker.interrupt();
      worker.join(10_000);
    }
  }

  /** Polls/s between the group's first commit and the moment it has committed every record. */
  private double measure(Admin admin, String group) throws Exception {
    Map<TopicPartition, Long> end = endOffsets(admin);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    long firstAt = 0;
    long firstCount = 0;
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      long count = 0;
      for (TopicPartition partition : end.keySet()) {
        OffsetAndMetadata offset = committed.get(partition);
        count += offset == null ? 0 : Math.min(offset.offset(), end.get(partition));
      }
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      if (firstAt == 0 && count > 0) {
        firstAt = System.nanoTime();
        firstCount = count;
      }
      if (count >= total) {
        return (count - firstCount) / ((System.nanoTime() - firstAt) / 1e9);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new IllegalStateException(group + " did not finish within 5 minutes");
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < 2; p++) {
      request.put(new TopicPartition(Topics.RAW_POLLS.name(), p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> end = new HashMap<>();
    admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
    return end;
  }

  private static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(props);
  }

}
