package io.seismo.api.stream;

import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the committed changes of {@code seismo.changes} out to this instance's SSE clients, each with a queue
 * bounded in changes and bytes, and tells a client without a document when the first one appears ({@link DocumentAt}).
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

  /** The API's status names a document with this content hash (which the documents store now holds). */
  record DocumentAt(String hash) {}

  /** A client's view of the feed: the changes of one API, in order, until closed. */
  public final class Subscription implements AutoCloseable {
    final String apiId;
    /** {@link Change}s and {@link DocumentAt}s, oldest first. */
    final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    volatile boolean overflowed;
    /** The client holds no document yet: it wants {@link DocumentAt} hints. */
    volatile boolean awaitingDocument = true;

    Subscription(String apiId, long maxQueuedBytes) {
      this.apiId = apiId;
      this.maxQueuedBytes = maxQueuedBytes;
    }

    void offer(Change change) {
      long size = bytes(change);
      if ((!queue.isEmpty() && queuedBytes.get() + size > maxQueuedBytes) || !queue.offer(change)) {
        overflowed = true;
        return;
      }
      queuedBytes.addAndGet(size);
    }

    /** The next change or hint within {@code millis}, or null. */
    Object poll(long millis) throws InterruptedException {
      Object next = queue.poll(millis, TimeUnit.MILLISECONDS);
      if (next instanceof Change change) {
        queuedBytes.addAndGet(-bytes(change));
      }
      return next;
    }

    private static long bytes(Change change) {
      return change.getPatch() == null ? 0 : change.getPatch().length();
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
    return subscribe(apiId, Long.MAX_VALUE);
  }

  /** Subscribes to the changes of {@code apiId}; more than {@code maxQueuedBytes} of waiting patches overflow. */
  public Subscription subscribe(String apiId, long maxQueuedBytes) {
    Subscription subscription = new Subscription(apiId, maxQueuedBytes);
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

  /** Tells the subscribers of an API that hold no document yet that it has one now (the consumer thread, and tests). */
  void documentAt(String apiId, String hash) {
    Set<Subscription> set = subscribers.get(apiId);
    if (set != null && hash != null) {
      set.stream().filter(subscription -> subscription.awaitingDocument)
          .forEach(subscription -> subscription.queue.offer(new DocumentAt(hash))); // a full queue has hints enough
    }
  }

  private boolean awaitingDocument(String apiId) {
    Set<Subscription> set = subscribers.get(apiId);
    return set != null && set.stream().anyMatch(subscription -> subscription.awaitingDocument);
  }

  private void run() {
    try {
      List<TopicPartition> partitions = awaitPartitions();
      if (partitions == null) {
        return; // closed while waiting
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      log.info("change feed started partitions={}", partitions.size());
      while (running) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            deliver(record);
          }
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) { // a broker or network fault must not end the feed for good
          log.warn("change feed poll failed, retrying in 1 s error={}", e.toString());
          pause();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /**
   * The partitions of the changes and status topics, asked for until both topics have some: Kafka may
   * not answer yet, or the topics may not exist yet (the control API can start before the cluster or
   * the topology that creates them). Null when the feed was closed meanwhile.
   */
  private List<TopicPartition> awaitPartitions() {
    boolean warned = false;
    while (running) {
      try {
        List<TopicPartition> partitions = new ArrayList<>();
        boolean complete = true;
        for (String topic : List.of(Topics.CHANGES.name(), Topics.STATUS.name())) {
          List<PartitionInfo> infos = consumer.partitionsFor(topic); // waits up to default.api.timeout.ms
          complete &= infos != null && !infos.isEmpty();
          if (infos != null) {
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
          }
        }
        if (complete) {
          return partitions;
        }
        if (!warned) {
          log.warn("change feed waiting for topics {} and {} to exist", Topics.CHANGES.name(), Topics.STATUS.name());
        }
      } catch (RetriableException e) { // a TimeoutException among them
        if (!warned) {
          log.warn("change feed waiting for Kafka error={}", e.toString());
        }
      }
      warned = true;
      pause();
    }
    return null;
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null || !subscribers.containsKey(record.key())) {
      return;
    }
    try {
      if (record.topic().equals(Topics.STATUS.name())) {
        if (record.value() != null && awaitingDocument(record.key())) {
          ApiStatus status = Topics.STATUS.valueSerde().deserializer().deserialize(record.topic(), record.value());
          documentAt(record.key(), status.getLastContentHash());
        }
        return;
      }
      dispatch(record.key(), Topics.CHANGES.valueSerde().deserializer().deserialize(record.topic(), record.value()));
    } catch (SerializationException e) {
      log.warn("undecodable record skipped topic={} apiId={} offset={} error={}", record.topic(), record.key(),
          record.offset(), e.getMessage());
    }
  }

  private void pause() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
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
