package io.seismo.api.dlq;

import io.seismo.api.error.ProblemException;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads {@code seismo.dlq} with short-lived read_committed consumers: the newest letters of each partition, or one. */
final class LetterReader {

  static final int SCAN_PER_PARTITION = 10_000;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  interface LetterSink {
    void accept(ConsumerRecord<byte[], byte[]> record, long total);
  }

  private final String bootstrapServers;
  private final Properties kafka;

  LetterReader(String bootstrapServers, Properties kafka) {
    this.bootstrapServers = bootstrapServers;
    this.kafka = kafka;
  }

  KafkaConsumer<byte[], byte[]> consumer(String clientSuffix) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "seismo-api-dlq-" + clientSuffix);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    try {
      return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
    } catch (KafkaException e) {
      throw ProblemException.unavailable("Kafka does not answer (" + e.getClass().getSimpleName() + "); retry");
    }
  }

  /** The newest {@link #SCAN_PER_PARTITION} letters of each partition; {@code totals}: letters held, letters read. */
  void readLetters(Integer onlyPartition, LetterSink sink, long[] totals) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("list")) {
      List<TopicPartition> partitions = partitions(consumer, Topics.DLQ.name()).stream()
          .filter(p -> onlyPartition == null || p.partition() == onlyPartition).toList();
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      consumer.assign(partitions);
      Map<TopicPartition, Long> from = new HashMap<>();
      for (TopicPartition partition : partitions) {
        long start = Math.max(begin.get(partition), end.get(partition) - SCAN_PER_PARTITION);
        from.put(partition, start);
        consumer.seek(partition, start);
        totals[0] += end.get(partition) - begin.get(partition);
      }
      drain(consumer, end, record -> {
        totals[1]++;
        sink.accept(record, totals[0]);
      });
    }
  }

  /** Reads every assigned partition up to {@code end} (positions pass markers of transactions too). */
  static void drain(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
                    Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw ProblemException.unavailable("reading " + end.keySet().iterator().next().topic()
            + " took longer than " + READ_TIMEOUT.toSeconds() + " s; retry");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < end.get(partition)) {
          sink.accept(record);
        }
      }
    }
  }

  ConsumerRecord<byte[], byte[]> readOne(int partition, long offset) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("get")) {
      TopicPartition at = new TopicPartition(Topics.DLQ.name(), partition);
      if (!partitions(consumer, Topics.DLQ.name()).contains(at)) {
        throw ProblemException.notFound("no dead letter " + LetterId.key(partition, offset) + ": " + Topics.DLQ.name()
            + " has no partition " + partition);
      }
      long begin = consumer.beginningOffsets(List.of(at)).get(at);
      long end = consumer.endOffsets(List.of(at)).get(at);
      if (offset < begin || offset >= end) {
        throw ProblemException.notFound("no dead letter " + LetterId.key(partition, offset) + " (partition " + partition
            + " holds offsets " + begin + " to " + (end - 1) + ")");
      }
      consumer.assign(List.of(at));
      consumer.seek(at, offset);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline && consumer.position(at) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == offset) {
            return record;
          }
          if (record.offset() > offset) {
            break;
          }
        }
        if (consumer.position(at) > offset) {
          break;
        }
      }
      // an aborted or control record: not a letter
      throw ProblemException.notFound("no dead letter " + LetterId.key(partition, offset) + " (not a committed record)");
    }
  }
}
