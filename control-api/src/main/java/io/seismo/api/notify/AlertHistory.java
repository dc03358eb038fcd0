package io.seismo.api.notify;

import io.seismo.schemas.Alert;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent alerts of every API, read by each instance from {@code seismo.alerts} into memory and bounded
 * to the newest {@value #PER_API} per API and {@value #GLOBAL} in all.
 */
public final class AlertHistory implements AlertPages, AutoCloseable {

  static final int PER_API = 500;
  static final int GLOBAL = 5_000;
  private static final Logger log = LoggerFactory.getLogger(AlertHistory.class);
  /** Newest first: by time, then by id. */
  static final Comparator<Entry> NEWEST_FIRST = Comparator.comparingLong(Entry::atMs).reversed()
      .thenComparing(Entry::id, Comparator.reverseOrder());

  /** One alert as kept here. */
  public record Entry(String id, String apiId, String kind, long atMs, String detail, String ruleId, String incidentId) {
    String cursor() {
      return atMs + "_" + id;
    }
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Deque<Entry>> byApi = new HashMap<>();
  private final Deque<Entry> all = new ArrayDeque<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  public AlertHistory(String bootstrapServers, Properties overrides, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(overrides);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name(clientId).daemon().unstarted(this::run);
  }

  public AlertHistory start() {
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      try {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS.name(), Duration.ofSeconds(30))
            .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
          TimeUnit.SECONDS.sleep(1);
          continue;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        synchronized (this) {
          byApi.clear();
          all.clear();
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (running) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            add(record);
          }
          if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
            caughtUp.countDown();
          }
        }
      } catch (WakeupException e) {
        if (running) {
          log.warn("alert history woken up while running; reading again");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        log.error("alert history error, reading again in 1 s error={}", e.toString());
        try {
          TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  private void add(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    Alert alert;
    try {
      alert = Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (RuntimeException undecodable) {
      log.warn("undecodable alert skipped partition={} offset={} error={}", record.partition(), record.offset(),
          undecodable.toString());
      return;
    }
    String id = "seismo-" + record.topic() + "-" + record.partition() + "-" + record.offset();
    Entry entry = new Entry(id, alert.getApiId(), alert.getKind().name(), alert.getAt().toEpochMilli(),
        alert.getDetail(), alert.getRuleId(), alert.getIncidentId());
    synchronized (this) {
      Deque<Entry> api = byApi.computeIfAbsent(entry.apiId(), k -> new ArrayDeque<>());
      api.addFirst(entry);
      if (api.size() > PER_API) {
        api.removeLast();
      }
      all.addFirst(entry);
      if (all.size() > GLOBAL) {
        all.removeLast();
      }
    }
  }

  @Override
  public boolean loaded() {
    return caughtUp.getCount() == 0;
  }

  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized Page page(String apiId, String kind, String before, int limit) {
    Deque<Entry> source = apiId == null ? all : byApi.getOrDefault(apiId, new ArrayDeque<>());
    List<Entry> sorted = new ArrayList<>(source);
    sorted.sort(NEWEST_FIRST);
    List<Entry> items = new ArrayList<>();
    String next = null;
    for (Entry entry : sorted) {
      if (kind != null && !kind.equals(entry.kind())) {
        continue;
      }
      if (before != null && !olderThan(entry, before)) {
        continue;
      }
      if (items.size() == limit) {
        next = items.getLast().cursor();
        break;
      }
      items.add(entry);
    }
    return new Page(items, next);
  }

  /** True when {@code entry} sorts after the cursor {@code atMs_id} (is older). */
  private static boolean olderThan(Entry entry, String cursor) {
    int underscore = cursor.indexOf('_');
    long at = Long.parseLong(cursor.substring(0, underscore));
    String id = cursor.substring(underscore + 1);
    return entry.atMs() < at || (entry.atMs() == at && entry.id().compareTo(id) < 0);
  }

  /** Whether {@code cursor} is one this history hands out. */
  public static boolean validCursor(String cursor) {
    return cursor.matches("\\d{1,19}_seismo-[A-Za-z0-9._-]+-\\d+-\\d+");
  }

  public record Page(List<Entry> items, String next) {}

  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
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
