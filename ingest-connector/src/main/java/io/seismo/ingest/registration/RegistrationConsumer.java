package io.seismo.ingest.registration;

import io.seismo.ingest.Jobs;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns the registrations of the partitions this instance is assigned in the ingest consumer group.
 * The compacted registrations topic is the desired state: on every assignment the partitions are
 * re-read from the beginning, so no offsets are committed and nothing can be missed. Revoked or lost
 * partitions stop their jobs before another instance starts them.
 */
public final class RegistrationConsumer implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistrationConsumer.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Jobs jobs;
  private final Duration handOverTimeout;
  private final Map<TopicPartition, Set<String>> apisByPartition = new HashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  /** Partitions read up to their end since they were assigned (consumer thread only). */
  private final Set<TopicPartition> caughtUp = new HashSet<>();
  private boolean joined;
  private volatile boolean loaded;

  public RegistrationConsumer(IngestConfig config, Jobs jobs) {
    // values are decoded here, record by record, so one bad record cannot stall the partition
    this.consumer = new KafkaConsumer<>(consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer());
    this.jobs = jobs;
    // a hand-over waits for the polls in flight as long as a shutdown does
    this.handOverTimeout = config.shutdownTimeout();
  }

  /**
   * The group consumer's settings: the consumer group protocol (KIP-848) unless SEISMO_KAFKA_GROUP_PROTOCOL
   * says classic. Under it the session timeout and heartbeat interval are the broker's
   * ({@code group.consumer.session.timeout.ms}, {@code group.consumer.heartbeat.interval.ms}) and a client that
   * sets them fails to start, so the SEISMO_KAFKA_* values meant for the other services' classic groups are
   * left out here, with a warning.
   */
  static Properties consumerProperties(IngestConfig config) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "seismo-ingest-registrations");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    props.putAll(config.kafka());
    if ("consumer".equalsIgnoreCase(props.getProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
      for (String classicOnly : List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)) {
        if (props.remove(classicOnly) != null) {
          log.warn("{} is not used by the ingest's registration group: under the consumer group protocol the broker's "
              + "group.consumer.{} applies (or set SEISMO_KAFKA_GROUP_PROTOCOL=classic)", classicOnly, classicOnly);
        }
      }
    }
    return props;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.REGISTRATIONS.name()), new Rebalance());
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          apply(record);
        }
        updateLoaded();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("registration consumer failed error={}", e.toString(), e);
      throw e;
    } finally {
      try {
        jobs.handOver(jobs.running(), handOverTimeout);
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } finally {
        stopped.countDown();
      }
    }
  }

  /**
   * True once this instance has joined the group and read every assigned partition up to its end (as
   * of the first fetch after the assignment); false again while newly assigned partitions are read.
   * Joined means the listener heard of an assignment: the consumer calls it for an empty one too
   * (KAFKA-16312), so an instance given no partition is ready with nothing to load.
   */
  public boolean loaded() {
    return loaded;
  }

  private void updateLoaded() {
    Set<TopicPartition> assignment = consumer.assignment();
    for (TopicPartition partition : assignment) {
      if (!caughtUp.contains(partition)) {
        OptionalLong lag = consumer.currentLag(partition);
        if (lag.isPresent() && lag.getAsLong() == 0) {
          caughtUp.add(partition);
        }
      }
    }
    caughtUp.retainAll(assignment);
    loaded = joined && caughtUp.containsAll(assignment);
  }

  /** Applies one registration record; what it logs (here and in the jobs it starts) carries apiId and partition. */
  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() != null) { // a record without key is logged and ignored below
      MDC.put("apiId", record.key());
    }
    MDC.put("partition", Integer.toString(record.partition()));
    try {
      applyRecord(record);
    } finally {
      MDC.remove("apiId");
      MDC.remove("partition");
    }
  }

  private void applyRecord(ConsumerRecord<String, byte[]> record) {
    String apiId = record.key();
    if (apiId == null || apiId.isBlank()) {
      log.warn("registration without key ignored partition={} offset={}", record.partition(), record.offset());
      return;
    }
    Registration registration;
    try {
      registration = Topics.REGISTRATIONS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      log.warn("undecodable registration ignored apiId={} partition={} offset={} error={}", apiId,
          record.partition(), record.offset(), e.getMessage());
      return;
    }
    if (registration != null && !apiId.equals(registration.getApiId())) {
      log.warn("registration ignored: key {} differs from apiId {} offset={}", apiId, registration.getApiId(),
          record.offset());
      return;
    }
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    if (registration == null) {
      apisByPartition.getOrDefault(partition, Set.of()).remove(apiId);
    } else {
      apisByPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(apiId);
    }
    jobs.apply(apiId, registration);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      release(partitions, "revoked"); // another instance takes them after this returns
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      release(partitions, "lost"); // another instance may poll them already
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      joined = true;
      caughtUp.removeAll(partitions);
      loaded = false;
      consumer.seekToBeginning(partitions);
      log.info("registration partitions assigned partitions={}", describe(partitions));
    }

    private void release(Collection<TopicPartition> partitions, String why) {
      caughtUp.removeAll(partitions);
      for (TopicPartition partition : partitions) {
        Set<String> apis = apisByPartition.remove(partition);
        if (apis != null && why.equals("revoked")) {
          jobs.handOver(apis, handOverTimeout);
        } else if (apis != null) {
          jobs.stopAll(apis);
        }
      }
      log.info("registration partitions {} partitions={}", why, describe(partitions));
    }
  }

  private static String describe(Collection<TopicPartition> partitions) {
    return partitions.stream().map(p -> Integer.toString(p.partition())).sorted().collect(Collectors.joining(",", "[", "]"));
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
