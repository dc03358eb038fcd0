package io.seismo.api.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.api.dlq.DlqService.Action;
import io.seismo.api.dlq.DlqService.Origin;
import io.seismo.api.error.ProblemException;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes actions on letters: each letter's mark, and for a re-processed one its record sent back, in one Kafka transaction. */
final class Redrive implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Redrive.class);
  /** Topics a letter may be sent back to: the topology's inputs. */
  static final Map<String, TopicSpec<String, ?>> INPUTS = Map.of(
      Topics.RAW_POLLS.name(), Topics.RAW_POLLS,
      Topics.RAW_SSE.name(), Topics.RAW_SSE,
      Topics.REGISTRATIONS.name(), Topics.REGISTRATIONS);

  private final String bootstrapServers;
  private final Properties kafka;
  private final String transactionalId;
  private final HandledMarks marks;
  private final ObjectMapper json;
  private KafkaProducer<byte[], byte[]> producer; // callers serialize; created on first use

  Redrive(String bootstrapServers, Properties kafka, String instance, HandledMarks marks, ObjectMapper json) {
    this.bootstrapServers = bootstrapServers;
    this.kafka = kafka;
    this.transactionalId = "seismo-dlq-actions-" + instance;
    this.marks = marks;
    this.json = json;
  }

  /** Takes {@code action} on every letter; returns their marks in the same order. */
  List<ObjectNode> write(List<ConsumerRecord<byte[], byte[]>> letters, Action action, String by) {
    KafkaProducer<byte[], byte[]> tx = producer();
    try {
      tx.beginTransaction();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> letter : letters) {
        if (action == Action.REPROCESSED) {
          Origin origin = target(letter);
          ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(origin.topic(), origin.partition(), letter.key(), letter.value());
          for (Header header : letter.headers()) {
            if (!header.key().startsWith(LetterView.ERRORS)) {
              again.headers().add(header);
            }
          }
          again.headers().add(DlqService.REPROCESSED_FROM_HEADER,
              (Topics.DLQ.name() + "/" + LetterId.key(letter.partition(), letter.offset())).getBytes(StandardCharsets.UTF_8));
          sent.add(tx.send(again));
        } else {
          sent.add(null);
        }
      }
      tx.flush();
      List<ObjectNode> records = new ArrayList<>();
      for (int i = 0; i < letters.size(); i++) {
        ConsumerRecord<byte[], byte[]> letter = letters.get(i);
        ObjectNode record = marks.mark(action, by, sent.get(i) == null ? null : sent.get(i).get());
        records.add(record);
        tx.send(new ProducerRecord<>(Topics.DLQ_ACTIONS.name(),
            LetterId.key(letter.partition(), letter.offset()).getBytes(StandardCharsets.UTF_8),
            json.writeValueAsBytes(record)));
      }
      tx.commitTransaction();
      for (int i = 0; i < letters.size(); i++) {
        log.info("dead letter {} id={} by={} target={}", action.name().toLowerCase(Locale.ROOT),
            LetterId.key(letters.get(i).partition(), letters.get(i).offset()), by, records.get(i).path("target"));
      }
      return records;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(tx);
      throw ProblemException.unavailable("interrupted while writing to Kafka; nothing was recorded, retry");
    } catch (ExecutionException | KafkaException | JsonProcessingException e) {
      log.warn("dead letter action failed action={} error={}", action, e.toString());
      abort(tx);
      throw ProblemException.unavailable("Kafka did not take the action (" + e.getClass().getSimpleName()
          + "); nothing was recorded, retry");
    }
  }

  /** Where a letter goes back to: its origin topic, which must be one of the topology's inputs (else 422). */
  static Origin target(ConsumerRecord<byte[], byte[]> letter) {
    Origin origin = LetterView.origin(letter);
    if (origin.topic() == null || !INPUTS.containsKey(origin.topic())) {
      throw new ProblemException(422, "not-reprocessable", "Not reprocessable",
          "dead letter " + LetterId.id(letter.partition(), letter.offset()) + " came from "
              + (origin.topic() == null ? "an unknown topic" : "'" + origin.topic() + "'")
              + "; only records of " + INPUTS.keySet().stream().sorted().toList() + " can be sent back",
          List.of(), Optional.empty());
    }
    return origin;
  }

  private void abort(KafkaProducer<byte[], byte[]> tx) {
    try {
      tx.abortTransaction();
    } catch (KafkaException e) {
      log.warn("abort failed, recreating the producer error={}", e.toString());
      tx.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties props = new Properties();
      props.putAll(kafka);
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
      KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
      try {
        created.initTransactions();
      } catch (KafkaException e) {
        created.close(Duration.ofSeconds(5));
        throw ProblemException.unavailable("Kafka does not answer (" + e.getClass().getSimpleName() + "); retry");
      }
      producer = created;
    }
    return producer;
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
