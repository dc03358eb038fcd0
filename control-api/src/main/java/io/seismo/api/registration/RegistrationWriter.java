package io.seismo.api.registration;

import io.seismo.api.error.ProblemException;
import io.seismo.runtime.config.KafkaClients;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes registrations (and tombstones) to the compacted control topic after a check against the
 * registration table — "is this apiId free?", "does If-Match name the current version?" — so that the
 * check holds across control API instances, not only within one.
 *
 * <p>Every write to a partition of the control topic goes through a transactional producer whose
 * {@code transactional.id} is that partition's ({@value #TRANSACTIONAL_ID_PREFIX}{@code <partition>}),
 * the same on every instance. An instance that (re)initialises the producer of a partition fences
 * whichever instance held it before: Kafka aborts the other's open transaction, and the other's next
 * send or commit fails. After initialising, the writer waits until its table has read the partition
 * up to its last stable offset; from then on no other instance can commit to the partition without
 * fencing this one first. So a check made on the table and followed by a committed write saw every
 * write before it: if another instance wrote in between, the commit fails, and the writer initialises
 * again (fencing the other), catches up and checks again. A 2xx means the write is on the log and
 * visible in this instance's table (read-your-writes).
 */
public final class RegistrationWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistrationWriter.class);

  public static final String TRANSACTIONAL_ID_PREFIX = "seismo-registrations-p";
  private static final long TIMEOUT_SECONDS = 10;
  private static final Duration CATCH_UP = Duration.ofSeconds(10);
  private static final int MAX_ATTEMPTS = 30;

  private final String bootstrapServers;
  private final Properties overrides;
  private final Admin admin;
  private final Map<Integer, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<Integer, KafkaProducer<String, Registration>> producers = new ConcurrentHashMap<>();
  private volatile int partitions = -1;
  private volatile boolean closed;

  public RegistrationWriter(String bootstrapServers, Properties overrides) {
    this.bootstrapServers = bootstrapServers;
    this.overrides = new Properties();
    this.overrides.putAll(overrides);
    Properties adminProps = new Properties();
    adminProps.putAll(overrides);
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(adminProps);
  }

  /**
   * Runs {@code decide} — which reads {@code table} and throws a {@link ProblemException} to refuse —
   * and writes what it returns ({@code null}: a tombstone) for {@code apiId}, as one conditional write
   * that no other writer of the partition, on any instance, can interleave with. Returns where the
   * record was written; it is then visible in {@code table}.
   */
  public RecordMetadata write(String apiId, RegistrationTable table, Supplier<Registration> decide) {
    int partition = partitionOf(apiId);
    ReentrantLock lock = locks.computeIfAbsent(partition, p -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while waiting to write the registration");
    }
    try {
      for (int attempt = 1; ; attempt++) {
        KafkaProducer<String, Registration> producer = producerFor(partition, table);
        Registration value = decide.get();
        try {
          producer.beginTransaction();
          RecordMetadata written = producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), partition, apiId, value))
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          producer.commitTransaction();
          awaitVisible(table, partition, written.offset());
          return written;
        } catch (ExecutionException e) {
          handleFailure(partition, producer, e.getCause(), attempt);
        } catch (KafkaException e) {
          handleFailure(partition, producer, e, attempt);
        } catch (TimeoutException e) {
          abortQuietly(producer);
          discard(partition, producer);
          throw ProblemException.unavailable("the registration could not be written to Kafka in time; retry");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          discard(partition, producer);
          throw ProblemException.unavailable("interrupted while writing the registration");
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** What happened to each registration of a {@link #createAll}. */
  public enum Outcome { CREATED, TAKEN, FAILED }

  /** The outcome for one registration; {@code problem} says why it {@link Outcome#FAILED}, else null. */
  public record Created(Outcome outcome, ProblemException problem) {
    static final Created CREATED = new Created(Outcome.CREATED, null);
    static final Created TAKEN = new Created(Outcome.TAKEN, null);
  }

  /**
   * Writes new registrations, those of one partition of the control topic in one transaction, under the
   * same per-partition lock and fencing as {@link #write}: in each partition, the apiIds already in
   * {@code table} are refused ({@link Outcome#TAKEN}) and the others written together. Partitions are
   * written one after the other; a partition that cannot be written fails with a {@link ProblemException}
   * in its entries ({@link Outcome#FAILED}), the partitions written before it stay written. Returns the
   * outcome per apiId, in {@code registrations}' order (apiIds must be distinct).
   */
  public Map<String, Created> createAll(List<Registration> registrations, RegistrationTable table) {
    Map<Integer, List<Registration>> byPartition = new TreeMap<>();
    for (Registration registration : registrations) {
      byPartition.computeIfAbsent(partitionOf(registration.getApiId()), p -> new ArrayList<>()).add(registration);
    }
    Map<String, Created> outcomes = new HashMap<>();
    byPartition.forEach((partition, batch) -> {
      try {
        outcomes.putAll(createAll(partition, batch, table));
      } catch (ProblemException e) {
        batch.forEach(registration -> outcomes.put(registration.getApiId(), new Created(Outcome.FAILED, e)));
      }
    });
    Map<String, Created> ordered = new LinkedHashMap<>();
    registrations.forEach(registration -> ordered.put(registration.getApiId(), outcomes.get(registration.getApiId())));
    return ordered;
  }

  private Map<String, Created> createAll(int partition, List<Registration> batch, RegistrationTable table) {
    ReentrantLock lock = locks.computeIfAbsent(partition, p -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while waiting to write the registrations");
    }
    try {
      for (int attempt = 1; ; attempt++) {
        KafkaProducer<String, Registration> producer = producerFor(partition, table);
        Map<String, Created> outcomes = new LinkedHashMap<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
          producer.beginTransaction();
          for (Registration registration : batch) {
            if (table.get(registration.getApiId()).isPresent()) {
              outcomes.put(registration.getApiId(), Created.TAKEN);
            } else {
              outcomes.put(registration.getApiId(), Created.CREATED);
              sent.add(producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), partition,
                  registration.getApiId(), registration)));
            }
          }
          long last = -1;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
          for (Future<RecordMetadata> future : sent) {
            last = Math.max(last, future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).offset());
          }
          producer.commitTransaction();
          awaitVisible(table, partition, last);
          return outcomes;
        } catch (ExecutionException e) {
          handleFailure(partition, producer, e.getCause(), attempt);
        } catch (KafkaException e) {
          handleFailure(partition, producer, e, attempt);
        } catch (TimeoutException e) {
          abortQuietly(producer);
          discard(partition, producer);
          throw ProblemException.unavailable("the registrations could not be written to Kafka in time; retry");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          discard(partition, producer);
          throw ProblemException.unavailable("interrupted while writing the registrations");
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fenced: another instance wrote this partition since; start over (fencing it in turn). Else 503. */
  private void handleFailure(int partition, KafkaProducer<String, Registration> producer, Throwable error, int attempt) {
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
  private KafkaProducer<String, Registration> producerFor(int partition, RegistrationTable table) {
    KafkaProducer<String, Registration> producer = producers.get(partition);
    if (producer != null) {
      return producer;
    }
    if (closed) {
      throw ProblemException.unavailable("the service is stopping");
    }
    Properties props = KafkaClients.reliableProducer(bootstrapServers, "seismo-api-registrations-p" + partition, overrides);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID_PREFIX + partition);
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

  private static void awaitVisible(RegistrationTable table, int partition, long offset) {
    try {
      if (offset >= 0 && !table.awaitOffset(partition, offset, CATCH_UP)) {
        throw ProblemException.unavailable("the control topic is not yet read up to the write; retry shortly");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while waiting for the control topic");
    }
  }

  private static void abortQuietly(KafkaProducer<String, Registration> producer) {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      log.debug("aborting a failed registration transaction failed error={}", e.toString());
    }
  }

  private void discard(int partition, KafkaProducer<String, Registration> producer) {
    producers.remove(partition, producer);
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      log.debug("closing a fenced registration producer failed error={}", e.toString());
    }
  }

  /** The partition Kafka's default partitioner picks for the key (murmur2 of its UTF-8 bytes). */
  private int partitionOf(String apiId) {
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
