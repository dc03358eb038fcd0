package io.seismo.ingest.connect;

import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads partitions of the compacted {@code seismo.registrations} topic from the beginning and keeps
 * following them (read_committed, no group, nothing committed: the topic is the table, as for the
 * standalone ingest). The connector reads every partition; a task the partitions it was given. Partitions
 * added to the topic later are picked up when {@code wanted} accepts them.
 */
final class RegistrationReader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistrationReader.class);
  private static final long PARTITION_CHECK_MS = 10_000;

  /** What the reader reports: a registration of a partition, or {@code null} for a deleted API. */
  interface Listener {
    void registration(int partition, String apiId, Registration registration);

    /** The partitions of the topic changed (the connector spreads them over its tasks). */
    default void partitions(int count) {}
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final IntPredicate wanted;
  private final Listener listener;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch loaded = new CountDownLatch(1);
  private volatile boolean running = true;
  private Thread thread;
  private int knownPartitions = -1;

  RegistrationReader(String bootstrapServers, Map<String, Object> overrides, String clientId, IntPredicate wanted,
                     Listener listener) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(overrides);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.wanted = wanted;
    this.listener = listener;
  }

  /** Starts following; returns once every wanted partition was read to its end, or after {@code timeout}. */
  boolean start(String threadName, Duration timeout) throws InterruptedException {
    thread = Thread.ofPlatform().name(threadName).daemon().start(this::run);
    return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    long lastCheck = 0;
    try {
      while (running) {
        if (System.currentTimeMillis() - lastCheck > PARTITION_CHECK_MS || knownPartitions <= 0) {
          lastCheck = System.currentTimeMillis();
          checkPartitions();
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          apply(record);
        }
        if (loaded.getCount() > 0 && knownPartitions > 0 && caughtUp()) {
          loaded.countDown();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("registration reader woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("registration reader failed error={}", e.toString(), e);
    } finally {
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } finally {
        stopped.countDown();
      }
    }
  }

  private void checkPartitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(Topics.REGISTRATIONS.name(), Duration.ofSeconds(10));
    int count = infos == null ? 0 : infos.size();
    if (count == knownPartitions) {
      return;
    }
    if (count == 0) {
      log.warn("topic {} does not exist (yet): no registrations to run", Topics.REGISTRATIONS.name());
      return;
    }
    Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
    List<TopicPartition> added = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      TopicPartition partition = new TopicPartition(Topics.REGISTRATIONS.name(), p);
      if (wanted.test(p) && assignment.add(partition)) {
        added.add(partition);
      }
    }
    consumer.assign(assignment);
    consumer.seekToBeginning(added);
    knownPartitions = count;
    log.info("reading registrations partitions={} of {}", assignment.stream().map(TopicPartition::partition).sorted().toList(),
        count);
    listener.partitions(count);
  }

  private boolean caughtUp() {
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(partition);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
    }
    return true;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    String apiId = record.key();
    if (apiId == null || apiId.isBlank()) {
      log.warn("registration without key ignored partition={} offset={}", record.partition(), record.offset());
      return;
    }
    Registration registration = null;
    if (record.value() != null) {
      try {
        registration = Topics.REGISTRATIONS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      } catch (SerializationException e) {
        log.warn("undecodable registration ignored apiId={} partition={} offset={} error={}", apiId,
            record.partition(), record.offset(), e.getMessage());
        return;
      }
    }
    if (registration != null && !apiId.equals(registration.getApiId())) {
      log.warn("registration ignored: key {} differs from apiId {} offset={}", apiId, registration.getApiId(),
          record.offset());
      return;
    }
    listener.registration(record.partition(), apiId, registration);
  }

  @Override
  public void close() {
    running = false;
    if (thread == null) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
