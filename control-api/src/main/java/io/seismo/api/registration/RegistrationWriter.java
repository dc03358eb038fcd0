package io.seismo.api.registration;

import io.seismo.api.error.ProblemException;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Writes registrations (and tombstones) to the compacted control topic after a check against the registration
 * table, as one conditional write that holds across control API instances (see docs/architecture.md).
 */
public final class RegistrationWriter implements AutoCloseable {

  public static final String TRANSACTIONAL_ID_PREFIX = "seismo-registrations-p";

  private final PartitionProducers producers;

  public RegistrationWriter(String bootstrapServers, Properties overrides) {
    this.producers = new PartitionProducers(bootstrapServers, overrides);
  }

  /**
   * Runs {@code decide} — which reads {@code table} and throws a {@link ProblemException} to refuse —
   * and writes what it returns ({@code null}: a tombstone) for {@code apiId}, as one conditional write
   * that no other writer of the partition, on any instance, can interleave with. Returns where the
   * record was written; it is then visible in {@code table}.
   */
  public RecordMetadata write(String apiId, RegistrationTable table, Supplier<Registration> decide) {
    int partition = producers.partitionOf(apiId);
    ReentrantLock lock = producers.lock(partition, "registration");
    try {
      for (int attempt = 1; ; attempt++) {
        KafkaProducer<String, Registration> producer = producers.producerFor(partition, table);
        Registration value = decide.get();
        try {
          producer.beginTransaction();
          RecordMetadata written = producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), partition, apiId, value))
              .get(PartitionProducers.TIMEOUT_SECONDS, TimeUnit.SECONDS);
          producer.commitTransaction();
          PartitionProducers.awaitVisible(table, partition, written.offset());
          return written;
        } catch (ExecutionException e) {
          producers.handleFailure(partition, producer, e.getCause(), attempt);
        } catch (KafkaException e) {
          producers.handleFailure(partition, producer, e, attempt);
        } catch (TimeoutException e) {
          PartitionProducers.abortQuietly(producer);
          producers.discard(partition, producer);
          throw ProblemException.unavailable("the registration could not be written to Kafka in time; retry");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          producers.discard(partition, producer);
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
      byPartition.computeIfAbsent(producers.partitionOf(registration.getApiId()), p -> new ArrayList<>()).add(registration);
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
    ReentrantLock lock = producers.lock(partition, "registrations");
    try {
      for (int attempt = 1; ; attempt++) {
        KafkaProducer<String, Registration> producer = producers.producerFor(partition, table);
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
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PartitionProducers.TIMEOUT_SECONDS);
          for (Future<RecordMetadata> future : sent) {
            last = Math.max(last, future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).offset());
          }
          producer.commitTransaction();
          PartitionProducers.awaitVisible(table, partition, last);
          return outcomes;
        } catch (ExecutionException e) {
          producers.handleFailure(partition, producer, e.getCause(), attempt);
        } catch (KafkaException e) {
          producers.handleFailure(partition, producer, e, attempt);
        } catch (TimeoutException e) {
          PartitionProducers.abortQuietly(producer);
          producers.discard(partition, producer);
          throw ProblemException.unavailable("the registrations could not be written to Kafka in time; retry");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          producers.discard(partition, producer);
          throw ProblemException.unavailable("interrupted while writing the registrations");
        }
      }
    } finally {
      lock.unlock();
    }
  }
  @Override
  public void close() {
    producers.close();
  }
}
