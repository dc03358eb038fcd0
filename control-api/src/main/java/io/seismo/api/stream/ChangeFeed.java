package io.seismo.api.stream;

import io.seismo.schemas.Change;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
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
 * Fans committed changes out to the SSE clients of this instance. One consumer per instance reads
 * every partition of {@code seismo.changes} from the end (read_committed: only what the exactly-once
 * topology committed), so a client can connect to any instance. Each client has a bounded queue; a
 * client too slow to keep up is cut off (it resumes with Last-Event-ID) and never slows the others.
 */
public final class ChangeFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  static final int QUEUE_CAPACITY = 256;

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public ChangeFeed(String bootstrapServers, Properties overrides) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "seismo-api-change-feed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(overrides);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name("seismo-api-change-feed").daemon().unstarted(this::run);
  }

  public ChangeFeed start() {
    thread.start();
    return this;
  }

  /** A client's view of the feed: the changes of one API, in order, until closed. */
  public final class Subscription implements AutoCloseable {
    final String apiId;
    final BlockingQueue<Change> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    volatile boolean overflowed;

    Subscription(String apiId) {
      this.apiId = apiId;
    }

    void offer(Change change) {
      if (!queue.offer(change)) {
        overflowed = true;
      }
    }

    @Override
    public void close() {
      subscribers.computeIfPresent(apiId, (key, set) -> {
        set.remove(this);
        return set.isEmpty() ? null : set;
      });
    }
  }

  public Subscription subscribe(String apiId) {
    Subscription subscription = new Subscription(apiId);
    subscribers.computeIfAbsent(apiId, key -> ConcurrentHashMap.newKeySet()).add(subscription);
    return subscription;
  }

  /** Delivers a change to the subscribers of its API (the consumer thread, and tests). */
  void dispatch(String apiId, Change change) {
    Set<Subscription> set = subscribers.get(apiId);
    if (set != null) {
      set.forEach(subscription -> subscription.offer(change));
    }
  }

  private void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHANGES.name(), Duration.ofSeconds(30)).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null || !subscribers.containsKey(record.key())) {
            continue;
          }
          try {
            dispatch(record.key(), Topics.CHANGES.valueSerde().deserializer().deserialize(record.topic(), record.value()));
          } catch (SerializationException e) {
            log.warn("undecodable change skipped apiId={} offset={} error={}", record.key(), record.offset(), e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("change feed stopped error={}", e.toString(), e);
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
