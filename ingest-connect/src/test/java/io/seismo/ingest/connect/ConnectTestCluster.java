package io.seismo.ingest.connect;

import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.awaitility.Awaitility;

/** Helpers of the connector tests: a Connect cluster in this JVM, registrations, and bounded reads of the raw topics. */
final class ConnectTestCluster {

  static final int PARTITIONS = 3;

  private ConnectTestCluster() {}

  /** Two workers in exactly-once source mode on one KRaft broker, with the file config provider. */
  static EmbeddedConnectCluster start(String name) {
    Map<String, String> worker = new HashMap<>();
    worker.put("exactly.once.source.support", "enabled");
    worker.put("scheduled.rebalance.max.delay.ms", "0"); // a worker that left: its tasks move at once
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("plugin.discovery", "service_load"); // a reflective scan of this class path takes minutes
    worker.put("config.providers", "file");
    worker.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
    Properties broker = new Properties();
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    broker.put("group.initial.rebalance.delay.ms", "0");
    EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name(name).numWorkers(2).numBrokers(1)
        .workerProps(worker).brokerProps(broker).build();
    connect.start();
    try (Admin admin = connect.kafka().createAdminClient()) {
      new TopicInitializer(admin, PARTITIONS, Optional.empty()).ensure(Topics.ALL);
    }
    return connect;
  }

  /**
   * Deletes a connector and waits until its tasks have stopped (their metrics are removed last in
   * {@link SeismoSourceTask#stop()}): Connect answers the delete before its tasks stop, and a task of the previous
   * test still running would poll, with its own offsets, the APIs the next test registers.
   */
  static void deleteAndAwaitStopped(EmbeddedConnectCluster connect, String name) throws Exception {
    connect.deleteConnector(name);
    connect.assertions().assertConnectorDoesNotExist(name, "deleted");
    ObjectName beans = new ObjectName("kafka.connect:type=plugins,connector=" + name + ",*");
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
        ManagementFactory.getPlatformMBeanServer().queryNames(beans, null).isEmpty());
  }

  /** The connector's configuration as a user gives it (see docs/kafka-connect.md). */
  static Map<String, String> connectorConfig(EmbeddedConnectCluster connect, int tasks) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", SeismoSourceConnector.class.getName());
    config.put("tasks.max", Integer.toString(tasks));
    config.put("key.converter", SeismoConnectorConfig.STRING_CONVERTER);
    config.put("value.converter", SeismoConnectorConfig.BYTES_CONVERTER);
    config.put("exactly.once.support", "required");
    config.put(SeismoConnectorConfig.BOOTSTRAP_SERVERS, connect.kafka().bootstrapServers());
    config.put("seismo.ingest.allow.hosts", "127.0.0.1");
    config.put("seismo.ingest.min.interval", "100ms");
    return config;
  }

  /** apiIds with {@code perPartition} on every partition of the registrations topic. */
  static List<String> apiIdsOnEveryPartition(String prefix, int perPartition) {
    int[] counts = new int[PARTITIONS];
    List<String> apiIds = new ArrayList<>();
    while (apiIds.size() < perPartition * PARTITIONS) {
      String apiId = prefix + UUID.randomUUID().toString().substring(0, 8);
      int partition = partitionOf(apiId);
      if (counts[partition] < perPartition) {
        counts[partition]++;
        apiIds.add(apiId);
      }
    }
    return apiIds;
  }

  static int partitionOf(String apiId) {
    return Utils.toPositive(Utils.murmur2(apiId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  static Registration.Builder registration(String apiId, String url) {
    return Registration.newBuilder().setApiId(apiId).setUrl(url).setPollIntervalMs(300).setVersion(1)
        .setCreatedAt(Instant.now()).setUpdatedAt(Instant.now());
  }

  /** Writes registrations (null: a tombstone) to the control topic, as the control API does. */
  static void register(EmbeddedConnectCluster connect, Map<String, Registration> registrations) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      registrations.forEach((apiId, registration) -> producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), apiId,
          registration == null ? null
              : Topics.REGISTRATIONS.valueSerde().serializer().serialize(Topics.REGISTRATIONS.name(), registration))));
      producer.flush();
    }
  }

  /** Every committed record of {@code topic} up to its current end (read_committed, bounded by the end offsets). */
  static List<ConsumerRecord<String, byte[]>> readCommitted(EmbeddedConnectCluster connect, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.kafka().bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end offsets " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  static List<PollResult> polls(List<ConsumerRecord<String, byte[]>> records, String apiId) {
    return records.stream().filter(r -> apiId.equals(r.key()))
        .map(r -> Topics.RAW_POLLS.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
  }
}
