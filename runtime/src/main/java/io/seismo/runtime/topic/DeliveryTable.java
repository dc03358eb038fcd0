package io.seismo.runtime.topic;

import io.seismo.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest webhook delivery record of every API ({@code seismo.deliveries}), materialised in memory like
 * {@link RegistrationTable}; the record's JSON form is in docs/architecture.md.
 */
public final class DeliveryTable implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryTable.class);

  private final KafkaConsumer<String, String> consumer;
  private final Map<String, String> byId = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  public DeliveryTable(String bootstrapServers, Properties overrides, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(overrides);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    this.thread = Thread.ofPlatform().name(clientId).daemon().unstarted(this::run);
  }

  /** The first 16 hex digits of the SHA-256 of a webhook URL: tells endpoints apart without showing them. */
  public static String fingerprint(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public DeliveryTable start() {
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      try {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DELIVERIES.name(), Duration.ofSeconds(30))
            .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
          TimeUnit.SECONDS.sleep(1); // not created yet
          continue;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (running) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.key() != null) {
              if (record.value() == null) {
                byId.remove(record.key());
              } else {
                byId.put(record.key(), record.value());
              }
            }
          }
          if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
            caughtUp.countDown();
          }
        }
      } catch (WakeupException e) {
        if (running) {
          log.warn("delivery table woken up while running; reading again");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        log.error("delivery table error, reading again in 1 s error={}", e.toString());
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

  /** True once the table holds everything that was on the topic when it started. */
  public boolean loaded() {
    return caughtUp.getCount() == 0;
  }

  /** Waits up to {@code timeout} for {@link #loaded()}. */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The API's latest delivery document (JSON), if any delivery was recorded. */
  public Optional<String> get(String apiId) {
    return Optional.ofNullable(byId.get(apiId));
  }

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
