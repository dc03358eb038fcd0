package io.seismo.schemas.topic;

import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every registration, materialised in memory from the compacted control topic (the way Kafka Connect
 * keeps its config topic): each reader (control API instance, notifier) reads all partitions from the beginning, so
 * lists, lookups and version checks need no routing. After a write, {@link #awaitOffset} gives
 * read-your-writes. Undecodable records are skipped with a warning.
 */
public final class RegistrationTable implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistrationTable.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final ConcurrentSkipListMap<String, Registration> byId = new ConcurrentSkipListMap<>();
  private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  public RegistrationTable(String bootstrapServers, Properties overrides, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(overrides);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name(clientId).unstarted(this::run);
  }

  public RegistrationTable start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = partitions();
      if (partitions == null) {
        return; // closed before Kafka answered
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          apply(record);
        }
        for (TopicPartition partition : partitions) {
          positions.put(partition.partition(), consumer.position(partition));
        }
        if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> positions.get(p.partition()) >= end.get(p))) {
          caughtUp.countDown();
          log.info("registration table loaded registrations={}", byId.size());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("registration table stopped error={}", e.toString(), e);
      throw e;
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /**
   * The topic's partitions, asked again until Kafka answers and the topic exists (a service may start
   * before the broker does, or before the topic is created: reading no partition would leave the table
   * empty for good); null when closed meanwhile.
   */
  private List<TopicPartition> partitions() {
    while (running) {
      try {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.REGISTRATIONS.name(), Duration.ofSeconds(30))
            .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (!partitions.isEmpty()) {
          return partitions;
        }
        TimeUnit.SECONDS.sleep(1); // not created yet
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        log.warn("registration table: Kafka not reachable yet, asking again error={}", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      byId.remove(record.key());
      return;
    }
    try {
      Registration registration = Topics.REGISTRATIONS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      if (record.key().equals(registration.getApiId())) {
        byId.put(record.key(), registration);
      }
    } catch (SerializationException e) {
      log.warn("undecodable registration skipped apiId={} partition={} offset={} error={}", record.key(),
          record.partition(), record.offset(), e.getMessage());
    }
  }

  /** True once the table holds everything that was on the topic when it started. */
  public boolean loaded() {
    return caughtUp.getCount() == 0;
  }

  public Optional<Registration> get(String apiId) {
    return Optional.ofNullable(byId.get(apiId));
  }

  /** Up to {@code limit} registrations with apiId after {@code after} (exclusive), in apiId order. */
  public List<Registration> page(String after, int limit, DesiredState state) {
    List<Registration> page = new ArrayList<>(limit);
    var view = after == null ? byId.values() : byId.tailMap(after, false).values();
    for (Registration registration : view) {
      if (state == null || registration.getDesiredState() == state) {
        page.add(registration);
        if (page.size() == limit) {
          break;
        }
      }
    }
    return page;
  }

  public int size() {
    return byId.size();
  }

  /** Waits until the record at {@code offset} of {@code partition} has been applied. */
  public boolean awaitOffset(int partition, long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (positions.getOrDefault(partition, -1L) <= offset) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
    return true;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
