package io.seismo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import io.seismo.topology.TopologyService;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.JsonPatchDiff;
import io.seismo.topology.change.ChangeRules;
import io.seismo.topology.config.TopologyConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Topology throughput on a real broker: the Seismo topology against a plain consumer → the same
 * DocumentAnalyzer with its previous documents in a HashMap → producer, with the same number of threads (2, one partition each), the
 * same commit cadence (500 ms), the same client defaults Kafka Streams sets (max.poll.records 1000,
 * linger.ms 100, zstd) and the same delivery guarantee: at_least_once against flush + commitSync every
 * 500 ms, exactly_once_v2 against a transactional producer per thread committing a transaction (with
 * the consumed offsets) every 500 ms and a read_committed consumer. Throughput is measured from each
 * side's first input record ({@link FirstRecordClock}, the same interceptor on both sides' consumers) to
 * the commit of the last record (start-up excluded, the work before the first commit included); each
 * side's records written per input record are counted from its producers' metrics.
 */
final class KafkaBench {

  private static final int THREADS = 2;
  private static final long COMMIT_MS = 500;
  private final int records;
  private final int warmups;
  private final int rounds;

  /** One side's run: polls/s and the records its producers wrote (outputs, changelogs). */
  private record Run(double pollsPerSecond, long outputs, long changelogs) {}

  KafkaBench(boolean quick) {
    this.records = quick ? 50_000 : 600_000; // the baseline takes 3–5 s on 2 cores, so the last commit interval (500 ms) is a small part
    this.warmups = quick ? 0 : 1;
    this.rounds = quick ? 1 : 3;
  }

  List<Row> run() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); Admin admin = admin(broker.bootstrapServers())) {
      new TopicInitializer(admin, 2, Optional.empty()).ensure(Topics.ALL);
      produce(broker.bootstrapServers());
      String bootstrap = broker.bootstrapServers();
      String[] names = {"baseline ALOS", "Seismo ALOS", "Seismo EOS", "baseline EOS"};
      List<Run[]> measured = new ArrayList<>();
      for (int round = 0; round < warmups + rounds; round++) {
        String label = round < warmups ? "warm-up" : "round " + (round - warmups + 1) + "/" + rounds;
        Run[] run = new Run[4];
        int[] order = round % 2 == 0 ? new int[] {0, 1, 2, 3} : new int[] {3, 2, 1, 0};
        for (int which : order) {
          Progress.step("topology", label + ": " + names[which]);
          run[which] = switch (which) {
            case 0 -> plain(bootstrap, admin, false);
            case 1 -> seismo(bootstrap, admin, StreamsConfig.AT_LEAST_ONCE);
            case 2 -> seismo(bootstrap, admin, StreamsConfig.EXACTLY_ONCE_V2);
            default -> plain(bootstrap, admin, true);
          };
          Progress.note("topology", String.format(Locale.ROOT, "%s: %s: %,.0f polls/s, %.2f output + %.2f changelog records per input",
              label, names[which], run[which].pollsPerSecond(), run[which].outputs() / (double) records,
              run[which].changelogs() / (double) records));
        }
        if (round >= warmups) {
          measured.add(run);
        }
      }
      List<Row.Round> alos = measured.stream().map(r -> new Row.Round(r[1].pollsPerSecond(), r[0].pollsPerSecond())).toList();
      List<Row.Round> eos = measured.stream().map(r -> new Row.Round(r[2].pollsPerSecond(), r[3].pollsPerSecond())).toList();
      List<Row.Round> eosVsAlos = measured.stream().map(r -> new Row.Round(r[2].pollsPerSecond(), r[1].pollsPerSecond())).toList();
      Run[] last = measured.get(measured.size() - 1);
      String workload = records + " polls of 2 KB JSON (100 APIs, 10% changed), 2 partitions, broker in this JVM; "
          + (warmups > 0 ? "median of " + rounds + " rounds after a warm-up round" : "no warm-up (--quick)")
          + "; ratios of the rounds ";
      String common = "2 threads (one partition each), commit every 500 ms, max.poll.records 1000, linger.ms 100, zstd";
      return List.of(
          Rounds.higher("topology at_least_once vs plain consumer→producer", "polls/s", alos, 0.8,
              workload + Rounds.ratios(alos) + "; " + written(last[1], last[0]))
              .sides("Seismo: the whole topology (parse, canonical hash, diff on change, windows, status, write-behind "
                  + "stores) at_least_once; baseline: consumer → Avro decode → the same DocumentAnalyzer (raw hash, "
                  + "parse and diff on change) with the previous document in a HashMap (no windows, no changelog) → one "
                  + "output record per input (the patch or the hash), flush + commitSync every 500 ms; polls/s from each "
                  + "side's first record to its last commit; " + common),
          Rounds.higher("topology exactly_once_v2 vs transactional consumer→producer", "polls/s", eos, 0.8,
              workload + Rounds.ratios(eos) + "; " + written(last[2], last[3]))
              .sides("Seismo: the whole topology, exactly_once_v2; baseline: the same loop with a transactional producer "
                  + "per thread, sendOffsetsToTransaction + commitTransaction every 500 ms, read_committed; " + common),
          Rounds.higher("topology exactly_once_v2 vs at_least_once", "polls/s", eosVsAlos, 0.9,
              "same topology, same records; ratios of the rounds " + Rounds.ratios(eosVsAlos))
              .sides("Seismo's topology with exactly_once_v2 vs the same topology with at_least_once (both 2 threads, commit 500 ms)"));
    }
  }

  private String written(Run seismo, Run baseline) {
    return String.format(Locale.ROOT, "records written per input (last round): Seismo %.3f to output topics + "
            + "%.3f to changelogs, baseline %.3f", seismo.outputs() / (double) records, seismo.changelogs() / (double) records,
        baseline.outputs() / (double) records);
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

  private Run seismo(String bootstrap, Admin admin, String guarantee) throws Exception {
    String appId = "bench-" + guarantee.replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 6);
    TopologyConfig base = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", bootstrap,
        "SEISMO_TOPOLOGY_THREADS", Integer.toString(THREADS),
        "SEISMO_TOPOLOGY_COMMIT_INTERVAL", COMMIT_MS + "ms",
        "SEISMO_KAFKA_PROCESSING_GUARANTEE", guarantee,
        "SEISMO_KAFKA_MAIN_CONSUMER_INTERCEPTOR_CLASSES", FirstRecordClock.class.getName())));
    String prefix = appId + ".";
    Path stateDir = Files.createTempDirectory("bench-streams");
    TopologyConfig config = base.asReplay(appId, stateDir, new TopologyConfig.Replay(prefix, Optional.empty()));
    new TopicInitializer(admin, 2, Optional.empty()).ensure(List.<TopicSpec<?, ?>>of(Topics.STATUS, Topics.CHANGES,
        Topics.METRICS, Topics.FIELD_CHANGES, Topics.ALERTS).stream().<TopicSpec<?, ?>>map(spec -> spec.named(prefix + spec.name())).toList());
    FirstRecordClock.reset();
    try (TopologyService service = TopologyService.start(config)) {
      double rate = measure(admin, appId, () -> service.streams().state().isRunningOrRebalancing() ? null
          : new IllegalStateException("streams " + service.streams().state()));
      long outputs = 0;
      long changelogs = 0;
      for (var metric : service.streams().metrics().entrySet()) {
        var name = metric.getKey();
        if (name.group().equals("producer-topic-metrics") && name.name().equals("record-send-total")) {
          long sent = ((Number) metric.getValue().metricValue()).longValue();
          if (name.tags().getOrDefault("topic", "").endsWith("-changelog")) {
            changelogs += sent;
          } else {
            outputs += sent;
          }
        }
      }
      return new Run(rate, outputs, changelogs);
    } finally {
      Utils.delete(stateDir.toFile());
    }
  }

  /**
   * The baseline: {@value #THREADS} platform threads, each with its own consumer (one partition,
   * assigned), HashMap and producer; commits every {@value #COMMIT_MS} ms, transactionally when
   * {@code exactlyOnce}.
   */
  private Run plain(String bootstrap, Admin admin, boolean exactlyOnce) throws Exception {
    String group = "bench-plain-" + (exactlyOnce ? "eos-" : "alos-") + UUID.randomUUID().toString().substring(0, 6);
    String output = group + "-out";
    admin.createTopics(List.of(new NewTopic(output, 2, (short) 1)))
        .all().get(30, TimeUnit.SECONDS);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    FirstRecordClock.reset();
    for (int t = 0; t < THREADS; t++) {
      TopicPartition partition = new TopicPartition(Topics.RAW_POLLS.name(), t);
      String transactionalId = group + "-" + t;
      workers.add(Thread.ofPlatform().name(group + "-" + t).start(() -> {
        try {
          plainLoop(bootstrap, group, partition, output, exactlyOnce ? transactionalId : null, stop, written);
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    double rate;
    try {
      rate = measure(admin, group, () -> errors.isEmpty() ? null : errors.peek());
    } finally {
      stop.set(true);
      for (Thread worker : workers) {
        worker.join(30_000);
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException("a baseline thread failed", errors.peek());
    }
    return new Run(rate, written.get(), 0);
  }

  private void plainLoop(String bootstrap, String group, TopicPartition partition, String output, String transactionalId,
                         AtomicBoolean stop, AtomicLong written)
      throws Exception {
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000"); // as Kafka Streams sets it
    consumerProps.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, FirstRecordClock.class.getName());
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "100"); // as Kafka Streams sets it
    producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"); // as Seismo's topology sets it
    if (transactionalId != null) {
      consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    // the same analysis as the topology's, state in a HashMap (no changelog, lost with the process)
    record Previous(String hash, String bodyHash, JsonNode tree) {}
    Map<String, Previous> previous = new HashMap<>();
    DocumentAnalyzer analyzer = new DocumentAnalyzer(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);
    var serde = Topics.RAW_POLLS.valueSerde();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
        new ByteArrayDeserializer());
         KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
             new StringSerializer())) {
      consumer.assign(List.of(partition));
      if (transactionalId != null) {
        producer.initTransactions();
        producer.beginTransaction();
      }
      long position = -1;
      long lastCommit = System.nanoTime();
      while (!stop.get()) {
        var batch = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, byte[]> record : batch) {
          PollResult poll = serde.deserializer().deserialize(record.topic(), record.value());
          byte[] body = new byte[poll.getBody().remaining()];
          poll.getBody().duplicate().get(body);
          Previous before = previous.get(record.key());
          DocumentAnalyzer.Analysis analysis = analyzer.analyze(body, ChangeRules.NONE,
              before == null ? null : before.hash(),
              () -> before == null || before.tree() == null ? Optional.empty() : Optional.of(before.tree()),
              before == null ? null : before.bodyHash());
          previous.put(record.key(), new Previous(analysis.hash(), analysis.bodyHash(),
              analysis.tree() != null ? analysis.tree() : before == null ? null : before.tree()));
          producer.send(new ProducerRecord<>(output, record.key(), analysis.changed() ? analysis.patch() : analysis.hash()));
          position = record.offset() + 1;
        }
        if (position >= 0 && System.nanoTime() - lastCommit >= TimeUnit.MILLISECONDS.toNanos(COMMIT_MS)) {
          Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(partition, new OffsetAndMetadata(position));
          if (transactionalId != null) {
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            producer.beginTransaction();
          } else {
            producer.flush();
            consumer.commitSync(offsets);
          }
          lastCommit = System.nanoTime();
        }
      }
      for (var metric : producer.metrics().entrySet()) {
        if (metric.getKey().group().equals("producer-metrics") && metric.getKey().name().equals("record-send-total")) {
          written.addAndGet(((Number) metric.getValue().metricValue()).longValue());
        }
      }
    }
  }

  /** Polls/s between the group's first commit and the moment it has committed every record. */
  private double measure(Admin admin, String group, Supplier<Throwable> failure) throws Exception {
    Map<TopicPartition, Long> end = endOffsets(admin);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      long count = 0;
      for (TopicPartition partition : end.keySet()) {
        OffsetAndMetadata offset = committed.get(partition);
        count += offset == null ? 0 : Math.min(offset.offset(), end.get(partition));
      }
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      if (count >= total) { // from the side's first input record to its last commit
        return total / ((System.nanoTime() - FirstRecordClock.first()) / 1e9);
      }
      Throwable failed = failure.get();
      if (failed != null) {
        throw new IllegalStateException(group + " failed", failed);
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
