package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.topology.TopologyService;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A document the ingest accepts (under SEISMO_INGEST_MAX_BODY_BYTES, 2 MiB) but over the broker's default
 * record limit (1 MiB) even compressed, analysed by the real topology on a real broker and read back by a
 * plain read_committed consumer.
 */
class LargeDocumentIT {

  @Test
  void shouldAnalyseEverySampleWhenADocumentIsLargerThanTheBrokersDefaultRecordLimit() throws Exception {
    String bootstrap = SharedKafkaBroker.bootstrapServers();
    String appId = "large-doc-it-" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = appId + ".";
    String apiId = "large-" + appId;
    try (Admin admin = Admin.create(props(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicInitializer topics = new TopicInitializer(admin, TestStack.PARTITIONS, Optional.empty());
      topics.ensure(List.of(Topics.REGISTRATIONS, Topics.RAW_POLLS, Topics.RAW_SSE, Topics.DLQ));
      topics.ensure(List.<TopicSpec<?, ?>>of(Topics.STATUS, Topics.CHANGES, Topics.METRICS, Topics.FIELD_CHANGES, Topics.ALERTS).stream()
          .<TopicSpec<?, ?>>map(spec -> spec.named(prefix + spec.name())).toList());
    }
    byte[] random = new byte[1_200_000];
    new Random(7).nextBytes(random);
    String large = "{\"blob\":\"" + Base64.getEncoder().encodeToString(random) + "\"}"; // 1.6 MB, ~1.2 MB zstd
    Path state = Files.createTempDirectory("large-doc-it");
    Instant base = Instant.now().minusSeconds(60);
    try (TopologyService topology = TopologyService.start(CrashableTopologyMain.config(bootstrap, appId, state))) {
      Properties producerProps = props(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
      producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
          new ByteArraySerializer())) {
        // not registered: the shared stack's ingest would poll a registered API too and add samples of its own
        List<String> bodies = List.of("{\"v\":1}", large, "{\"v\":2}");
        for (int i = 0; i < bodies.size(); i++) {
          byte[] body = bodies.get(i).getBytes(StandardCharsets.UTF_8);
          Instant at = base.plusSeconds(10L * (i + 1));
          producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), null, at.toEpochMilli(), apiId,
              Topics.RAW_POLLS.valueSerde().serializer().serialize("", PollResult.newBuilder().setApiId(apiId)
                  .setSequence(i + 1).setRequestedAt(at).setLatencyMs(5).setHttpStatus(200).setHeaderBytes(100)
                  .setWireBodyBytes(body.length).setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build()))).get();
          // each sample committed before the next: the large document itself goes to the documents changelog
          long samples = committedSamples(bootstrap, prefix + Topics.STATUS.name(), apiId, i + 1, Duration.ofSeconds(45));
          assertThat(samples).as("committed samples after poll %d", i + 1).isEqualTo(i + 1L);
        }
      }
    }
  }

  /** The samples of the API's last committed status, once it reaches {@code expected} or at the deadline. */
  private static long committedSamples(String bootstrap, String topic, String apiId, long expected, Duration timeout) {
    Properties props = props(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "large-doc-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long samples = -1;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (samples != expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (apiId.equals(record.key()) && record.value() != null) {
            samples = ((ApiStatus) AvroSerde.of(ApiStatus.class).deserialize("", record.value())).getSamples();
          }
        }
      }
    }
    return samples;
  }

  private static Properties props(String key, String value) {
    Properties props = new Properties();
    props.put(key, value);
    return props;
  }
}
