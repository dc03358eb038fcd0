package io.seismo.system;

import io.seismo.schemas.topic.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic with a plain read_committed {@link KafkaConsumer}, none of the topology's code. */
final class TopicReader {

  private final String bootstrap;

  TopicReader(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Reads a whole topic read_committed, from the beginning to the end offsets taken now, in offset order per partition. */
  <V> void readTopic(TopicSpec<String, V> spec, BiConsumer<String, V> onRecord) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "120000");
    var deserializer = spec.valueSerde().deserializer();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(spec.name(), Duration.ofSeconds(120)).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(120));
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(120)) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + spec.name() + " to its end within 10 minutes");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            onRecord.accept(record.key(), record.value() == null ? null : deserializer.deserialize(spec.name(), record.value()));
          }
        }
      }
    }
  }
}
