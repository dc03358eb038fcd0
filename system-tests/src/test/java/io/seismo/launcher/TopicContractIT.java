package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.topology.TopologyService;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.processor.ApiIdPartitioner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The output topics as a consumer we did not write sees them — a plain {@link KafkaConsumer} with
 * read_committed — against the contract: every topic's configs as its spec says, window aggregates
 * partitioned by apiId, and after a clean close right after the last input was processed (before any
 * timer could fire), every window and status on the topics equal to what was processed.
 */
class TopicContractIT {

  private static final int POLLS = 25;

  @Test
  void shouldCreateEveryTopicWithTheConfigsOfItsSpec() throws Exception {
    String prefix = "contract-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    List<TopicSpec<?, ?>> specs = Topics.ALL.stream().<TopicSpec<?, ?>>map(spec -> spec.named(prefix + spec.name())).toList();
    try (Admin admin = admin()) {
      new TopicInitializer(admin, 3, Optional.empty()).ensure(specs);
      for (TopicSpec<?, ?> spec : specs) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config actual = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        spec.configs().forEach((name, value) -> assertThat(actual.get(name).value()).as(spec.name() + " " + name).isEqualTo(value));
      }
      Config metrics = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, prefix + "seismo.metrics")))
          .all().get(30, TimeUnit.SECONDS).values().iterator().next();
      assertThat(metrics.get("cleanup.policy").value()).isEqualTo("compact,delete");
      long longestWindow = Arrays.stream(TimeWindow.values()).map(TimeWindow::retention)
          .max(Duration::compareTo).orElseThrow().plusDays(1).toMillis();
      assertThat(Long.parseLong(metrics.get("retention.ms").value())).isEqualTo(longestWindow);
    }
  }

  @Test
  void shouldLeaveEveryWindowAndStatusOnTheTopicsWhenClosedRightAfterProcessing() throws Exception {
    TestStack.stack(); // the shared stack creates the raw topics
    String appId = "contract-it-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = appId + ".";
    int partitions = TestStack.PARTITIONS;
    try (Admin admin = admin()) {
      new TopicInitializer(admin, partitions, Optional.empty()).ensure(List.<TopicSpec<?, ?>>of(
          Topics.STATUS, Topics.CHANGES, Topics.METRICS, Topics.FIELD_CHANGES, Topics.ALERTS).stream()
          .<TopicSpec<?, ?>>map(spec -> spec.named(prefix + spec.name())).toList());
    }
    List<String> apis = List.of("contract-a-" + appId, "contract-b-" + appId, "contract-c-" + appId);
    Path state = Files.createTempDirectory("contract-it");
    Instant base = Instant.now().minusSeconds(300);
    try (TopologyService topology = TopologyService.start(CrashableTopologyMain.config(
        SharedKafkaBroker.bootstrapServers(), appId, state))) {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
      try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
          Topics.RAW_POLLS.valueSerde().serializer())) {
        for (int i = 1; i <= POLLS; i++) {
          for (String apiId : apis) {
            byte[] body = ("{\"v\":" + (i / 4) + "}").getBytes(StandardCharsets.UTF_8);
            Instant at = base.plusSeconds(i);
            producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), null, at.toEpochMilli(), apiId,
                PollResult.newBuilder().setApiId(apiId).setSequence(i).setRequestedAt(at).setLatencyMs(5)
                    .setHttpStatus(200).setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build()));
          }
        }
        producer.flush();
      }
      // close as soon as every input offset is committed: no wall-clock timer gets a chance to run after it
      try (Admin admin = admin()) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10)).until(() -> inputCommitted(admin, appId));
      }
    }

    Map<String, ApiMetrics> windows = new HashMap<>();
    Map<String, ApiStatus> statuses = new HashMap<>();
    Map<String, Integer> partitionOfStatus = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : committed(prefix + Topics.METRICS.name())) {
      ApiMetrics metrics = (ApiMetrics) AvroSerde.of(ApiMetrics.class).deserialize("", record.value());
      if (apis.contains(metrics.getApiId())) {
        windows.put(record.key(), metrics);
        assertThat(record.partition()).as(record.key()).isEqualTo(ApiIdPartitioner.partitionOf(metrics.getApiId(), partitions));
      }
    }
    for (ConsumerRecord<String, byte[]> record : committed(prefix + Topics.STATUS.name())) {
      if (apis.contains(record.key())) {
        statuses.put(record.key(), (ApiStatus) AvroSerde.of(ApiStatus.class).deserialize("", record.value()));
        partitionOfStatus.put(record.key(), record.partition());
      }
    }
    for (String apiId : apis) {
      assertThat(statuses.get(apiId).getSamples()).as(apiId + " status samples").isEqualTo(POLLS);
      assertThat(statuses.get(apiId).getChanges()).as(apiId + " status changes").isEqualTo(POLLS / 4);
      for (TimeWindow window : TimeWindow.values()) {
        List<ApiMetrics> ofApi = windows.values().stream()
            .filter(m -> m.getApiId().equals(apiId) && m.getWindow().equals(window.label())).toList();
        assertThat(ofApi.stream().mapToLong(ApiMetrics::getSamples).sum()).as(apiId + " " + window.label())
            .isEqualTo(POLLS);
        assertThat(ofApi.stream().mapToLong(ApiMetrics::getChanges).sum()).as(apiId + " " + window.label() + " changes")
            .isEqualTo(POLLS / 4);
      }
      assertThat(partitionOfStatus.get(apiId)).isEqualTo(ApiIdPartitioner.partitionOf(apiId, partitions));
    }
  }

  private static boolean inputCommitted(Admin admin, String appId) throws Exception {
    {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < TestStack.PARTITIONS; p++) {
        latest.put(new TopicPartition(Topics.RAW_POLLS.name(), p), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
          || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue().offset()));
    }
  }

  private static List<ConsumerRecord<String, byte[]>> committed(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "contract-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      for (int empty = 0; empty < 3; ) {
        var batch = consumer.poll(Duration.ofMillis(500));
        empty = batch.isEmpty() ? empty + 1 : 0;
        batch.forEach(record -> {
          if (record.value() != null) {
            records.add(record);
          }
        });
      }
    }
    return records;
  }

  private static Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    return Admin.create(props);
  }
}
