package io.seismo.runtime.topic;

import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
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
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
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
    // looking for a control topic that does not exist yet must not create it with the broker's defaults
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.putAll(overrides);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name(clientId).unstarted(this::run);
  }

  public RegistrationTable start() {
    thread.start();
    return this;
  }

  /**
   * Reads the control topic until closed. It waits for the topic to exist (a control API may start before
   * the topics are created), and a failure of the consumer is logged and retried from where the table
   * got to — never from the beginning again, where compacted-away tombstones would bring deleted APIs back.
   */
  private void run() {
    try {
      while (running) {
        try {
          follow();
        } catch (WakeupException e) {
          if (running) {
            log.warn("registration table woken up unexpectedly; going on");
          }
        } catch (TimeoutException e) {
          log.warn("registration table: Kafka not reachable yet, asking again error={}", e.getMessage());
        } catch (RuntimeException e) {
          log.error("registration table read failed, retrying in 1 s error={}", e.toString(), e);
          pause(Duration.ofSeconds(1));
        }
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void follow() {
    List<TopicPartition> partitions = awaitPartitions();
    if (partitions.isEmpty()) {
      return; // closed while waiting
    }
    consumer.assign(partitions);
    for (TopicPartition partition : partitions) {
      Long position = positions.get(partition.partition());
      if (position == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, position);
      }
    }
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
  }

  /** The control topic's partitions, once it exists; empty when the table is closed first. */
  private List<TopicPartition> awaitPartitions() {
    for (int attempt = 0; running; attempt++) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.REGISTRATIONS.name(), Duration.ofSeconds(30))
          .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (attempt % 30 == 0) {
        log.warn("registration table waiting for topic {} to exist", Topics.REGISTRATIONS.name());
      }
      pause(Duration.ofSeconds(1));
    }
    return List.of();
  }

  private void pause(Duration duration) {
    try {
      TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
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
