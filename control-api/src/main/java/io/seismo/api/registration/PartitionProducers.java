package io.seismo.api.registration;

import io.seismo.api.error.ProblemException;
import io.seismo.runtime.config.KafkaClients;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One transactional producer and one lock per partition of the control topic, fencing other instances' producers of it. */
final class PartitionProducers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PartitionProducers.class);

  static final long TIMEOUT_SECONDS = 10;
  private static final Duration CATCH_UP = Duration.ofSeconds(10);
  private static final int MAX_ATTEMPTS = 30;

  private final String bootstrapServers;
  private final Properties overrides;
  private final Admin admin;
  private final Map<Integer, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<Integer, KafkaProducer<String, Registration>> producers = new ConcurrentHashMap<>();
  private volatile int partitions = -1;
  private volatile boolean closed;

  PartitionProducers(String bootstrapServers, Properties overrides) {
    this.bootstrapServers = bootstrapServers;
    this.overrides = new Properties();
    this.overrides.putAll(overrides);
    Properties adminProps = new Properties();
    adminProps.putAll(overrides);
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(adminProps);
  }

  /** Takes the partition's lock; {@code what} names the write in the 503 of an interrupt. */
  ReentrantLock lock(int partition, String what) {
    ReentrantLock lock = locks.computeIfAbsent(partition, p -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while waiting to write the " + what);
    }
    return lock;
  }

  /** Fenced: another instance wrote this partition since; start over (fencing it in turn). Else 503. */
  void handleFailure(int partition, KafkaProducer<String, Registration> producer, Throwable error, int attempt) {
    boolean fenced = error instanceof ProducerFencedException || error instanceof InvalidProducerEpochException
        || error.getCause() instanceof ProducerFencedException;
    if (!fenced) {
      abortQuietly(producer); // else its open transaction would hold back every read_committed reader
    }
    discard(partition, producer);
    if (!fenced) {
      throw ProblemException.unavailable("the registration could not be written to Kafka: " + error);
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw ProblemException.unavailable("the registration is being changed concurrently elsewhere; retry");
    }
    log.debug("registration writer fenced partition={} attempt={}", partition, attempt);
    try {
      // a random pause, growing with the attempts, so that two instances do not keep fencing each other
      TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(1, 10L * Math.min(attempt, 10) + 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while writing the registration");
    }
  }

  /** The partition's producer, initialised (fencing any other holder) and caught up on first use. */
  KafkaProducer<String, Registration> producerFor(int partition, RegistrationTable table) {
    KafkaProducer<String, Registration> producer = producers.get(partition);
    if (producer != null) {
      return producer;
    }
    if (closed) {
      throw ProblemException.unavailable("the service is stopping");
    }
    Properties props = KafkaClients.reliableProducer(bootstrapServers, "seismo-api-registrations-p" + partition, overrides);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, RegistrationWriter.TRANSACTIONAL_ID_PREFIX + partition);
    props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "15000");
    producer = new KafkaProducer<>(props, Topics.REGISTRATIONS.keySerde().serializer(),
        Topics.REGISTRATIONS.valueSerde().serializer());
    try {
      producer.initTransactions();
      TopicPartition topicPartition = new TopicPartition(Topics.REGISTRATIONS.name(), partition);
      long stable = admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest()),
              new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .partitionResult(topicPartition).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).offset();
      awaitVisible(table, partition, stable - 1);
    } catch (KafkaException | ExecutionException | TimeoutException | ProblemException e) {
      producer.close(Duration.ZERO);
      if (e instanceof ProblemException problem) {
        throw problem;
      }
      throw ProblemException.unavailable("the control topic cannot be written right now: "
          + (e instanceof ExecutionException ? e.getCause() : e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.close(Duration.ZERO);
      throw ProblemException.unavailable("interrupted while preparing to write the registration");
    }
    producers.put(partition, producer);
    return producer;
  }

  static void awaitVisible(RegistrationTable table, int partition, long offset) {
    try {
      if (offset >= 0 && !table.awaitOffset(partition, offset, CATCH_UP)) {
        throw ProblemException.unavailable("the control topic is not yet read up to the write; retry shortly");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while waiting for the control topic");
    }
  }

  static void abortQuietly(KafkaProducer<String, Registration> producer) {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      log.debug("aborting a failed registration transaction failed error={}", e.toString());
    }
  }

  void discard(int partition, KafkaProducer<String, Registration> producer) {
    producers.remove(partition, producer);
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      log.debug("closing a fenced registration producer failed error={}", e.toString());
    }
  }

  /** The partition Kafka's default partitioner picks for the key (murmur2 of its UTF-8 bytes). */
  int partitionOf(String apiId) {
    int count = partitions;
    if (count <= 0) {
      try {
        count = admin.describeTopics(List.of(Topics.REGISTRATIONS.name())).allTopicNames()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(Topics.REGISTRATIONS.name()).partitions().size();
      } catch (ExecutionException | TimeoutException e) {
        throw ProblemException.unavailable("the control topic cannot be described right now: "
            + (e instanceof ExecutionException ? e.getCause() : e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ProblemException.unavailable("interrupted while describing the control topic");
      }
      partitions = count;
    }
    return Utils.toPositive(Utils.murmur2(apiId.getBytes(StandardCharsets.UTF_8))) % count;
  }

  @Override
  public void close() {
    closed = true;
    producers.values().forEach(producer -> producer.close(Duration.ofSeconds(5)));
    producers.clear();
    admin.close(Duration.ofSeconds(5));
  }
}
