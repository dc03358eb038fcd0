package io.seismo.bench;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * When a side of the topology bench received its first input record: the same consumer interceptor on the
 * baseline's consumers and on Kafka Streams' main consumer, so both sides' throughput is counted from their
 * first record to their last commit, the work before the first commit included.
 */
public final class FirstRecordClock implements ConsumerInterceptor<Object, Object> {

  private static final AtomicLong FIRST = new AtomicLong();

  static void reset() {
    FIRST.set(0);
  }

  /** {@link System#nanoTime()} of the first non-empty poll since {@link #reset()}, 0 before. */
  static long first() {
    return FIRST.get();
  }

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    if (!records.isEmpty()) {
      FIRST.compareAndSet(0, System.nanoTime());
    }
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
