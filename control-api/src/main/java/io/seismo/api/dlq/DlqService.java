package io.seismo.api.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter queue ({@code seismo.dlq}) for operators: each letter with its origin (Kafka Streams'
 * {@code __streams.errors.*} headers), its error and its bytes decoded where they can be; re-processing a
 * letter (its original key, value and headers sent again to the partition it came from) and discarding
 * one, each action recorded on {@code seismo.dlq.actions} (key {@code <partition>@<offset>} of the letter).
 *
 * <p>Reads are bounded: each request reads at most {@link #SCAN_PER_PARTITION} of the newest letters of each
 * DLQ partition (read_committed, up to the end offsets at the start of the request) and the actions topic
 * up to its end offsets. A re-processed record and its action are written in one Kafka transaction, so a
 * letter is never re-sent without its action being recorded (nor recorded without being re-sent). Actions
 * are serialized per instance; two instances acting on the same letter at the same moment could both
 * re-send it (the topology would then see it twice, as it would see a duplicate from any producer).
 */
public final class DlqService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DlqService.class);
  static final int SCAN_PER_PARTITION = 10_000;
  private static final int MAX_DECODED_CHARS = 64 * 1024;
  private static final String ERRORS = "__streams.errors.";
  public static final String REPROCESSED_FROM_HEADER = "seismo.dlq.reprocessed-from";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
  /** Topics a letter may be sent back to: the topology's inputs. */
  private static final Map<String, TopicSpec<String, ?>> INPUTS = Map.of(
      Topics.RAW_POLLS.name(), Topics.RAW_POLLS,
      Topics.RAW_SSE.name(), Topics.RAW_SSE,
      Topics.REGISTRATIONS.name(), Topics.REGISTRATIONS);

  public enum Action { REPROCESSED, DISCARDED }

  /** One dead letter as the API shows it. */
  public record Letter(String id, int partition, long offset, Instant timestamp, String key, Origin origin,
                       Error error, int valueBytes, Decoded decoded, JsonNode action) {}

  public record Origin(String topic, Integer partition, Long offset) {}

  public record Error(String exception, String message, String stacktrace) {}

  /** The value decoded: {@code avro} (the origin topic's schema, as JSON), {@code text} (UTF-8), or {@code base64}. */
  public record Decoded(String format, String schema, Object value, boolean truncated) {}

  public record Page(List<Letter> items, long total, long scanned, long open) {}

  private final String bootstrapServers;
  private final Properties kafka;
  private final Clock clock;
  private final ObjectMapper json;
  private final ReentrantLock actions = new ReentrantLock();
  private final String transactionalId;
  private KafkaProducer<byte[], byte[]> producer; // guarded by actions; created on first use

  public DlqService(String bootstrapServers, Properties kafka, String instance, Clock clock, ObjectMapper json) {
    this.bootstrapServers = bootstrapServers;
    this.kafka = kafka;
    this.clock = clock;
    this.json = json;
    this.transactionalId = "seismo-dlq-actions-" + instance;
  }

  /** The newest letters first; {@code state}: all, open (no action yet) or handled. */
  public Page list(int limit, String state) {
    Map<String, JsonNode> recorded = readActions();
    List<Letter> letters = new ArrayList<>();
    long[] totals = new long[2];
    readLetters(null, (record, total) -> letters.add(letter(record, recorded.get(key(record.partition(), record.offset())), false)),
        totals);
    letters.sort(Comparator.comparing(Letter::timestamp).thenComparing(Letter::partition).thenComparing(Letter::offset).reversed());
    long open = letters.stream().filter(letter -> letter.action() == null).count();
    List<Letter> shown = letters.stream()
        .filter(letter -> switch (state) {
          case "open" -> letter.action() == null;
          case "handled" -> letter.action() != null;
          default -> true;
        })
        .limit(limit).toList();
    return new Page(shown, totals[0], totals[1], open);
  }

  /** One letter, its value decoded in full (up to a bound). */
  public Letter get(String id) {
    TopicPartition at = parse(id);
    return letter(readOne(at.partition(), offsetOf(id)), readActions().get(key(at.partition(), offsetOf(id))), true);
  }

  /** Sends the letter back to where it came from and records that; 409 if it was already handled. */
  public Letter reprocess(String id, String by) {
    return act(List.of(id), Action.REPROCESSED, by, true).getFirst();
  }

  public Letter discard(String id, String by) {
    return act(List.of(id), Action.DISCARDED, by, true).getFirst();
  }

  /** Every open letter among the scanned ones (or those named), oldest first; handled ones are skipped. */
  public List<Letter> actOnAll(List<String> ids, Action action, String by) {
    List<String> chosen = ids;
    if (chosen == null) {
      List<Letter> open = new ArrayList<>(list(Integer.MAX_VALUE, "open").items());
      Collections.reverse(open);
      chosen = open.stream().map(Letter::id).toList();
    }
    return act(chosen, action, by, false);
  }

  private List<Letter> act(List<String> ids, Action action, String by, boolean single) {
    actions.lock();
    try {
      Map<String, JsonNode> recorded = readActions();
      List<ConsumerRecord<byte[], byte[]>> todo = new ArrayList<>();
      // several: one read of the scanned letters instead of one consumer per letter
      Map<String, ConsumerRecord<byte[], byte[]>> scanned = new HashMap<>();
      if (ids.size() > 1) {
        readLetters(null, (record, total) -> scanned.put(id(record.partition(), record.offset()), record), new long[2]);
      }
      for (String id : ids) {
        TopicPartition at = parse(id);
        JsonNode done = recorded.get(key(at.partition(), offsetOf(id)));
        if (done != null) {
          if (single) {
            throw ProblemException.conflict("dead letter " + id + " was already " + done.path("action").asText().toLowerCase(Locale.ROOT)
                + " at " + done.path("at").asText());
          }
          continue;
        }
        ConsumerRecord<byte[], byte[]> letter = scanned.containsKey(id) ? scanned.get(id) : readOne(at.partition(), offsetOf(id));
        if (action == Action.REPROCESSED) {
          target(letter); // 422 before anything is written
        }
        todo.add(letter);
      }
      if (todo.isEmpty()) {
        return List.of();
      }
      return write(todo, action, by);
    } finally {
      actions.unlock();
    }
  }

  private List<Letter> write(List<ConsumerRecord<byte[], byte[]>> letters, Action action, String by) {
    KafkaProducer<byte[], byte[]> tx = producer();
    List<Letter> written = new ArrayList<>();
    try {
      tx.beginTransaction();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> letter : letters) {
        if (action == Action.REPROCESSED) {
          Origin origin = target(letter);
          ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(origin.topic(), origin.partition(), letter.key(), letter.value());
          for (Header header : letter.headers()) {
            if (!header.key().startsWith(ERRORS)) {
              again.headers().add(header);
            }
          }
          again.headers().add(REPROCESSED_FROM_HEADER,
              (Topics.DLQ.name() + "/" + key(letter.partition(), letter.offset())).getBytes(StandardCharsets.UTF_8));
          sent.add(tx.send(again));
        } else {
          sent.add(null);
        }
      }
      tx.flush();
      List<ObjectNode> records = new ArrayList<>();
      for (int i = 0; i < letters.size(); i++) {
        ConsumerRecord<byte[], byte[]> letter = letters.get(i);
        ObjectNode record = json.createObjectNode();
        record.put("action", action.name());
        record.put("at", clock.instant().toString());
        record.put("by", by);
        if (sent.get(i) != null) {
          RecordMetadata metadata = sent.get(i).get();
          ObjectNode target = record.putObject("target");
          target.put("topic", metadata.topic());
          target.put("partition", metadata.partition());
          target.put("offset", metadata.offset());
        }
        records.add(record);
        tx.send(new ProducerRecord<>(Topics.DLQ_ACTIONS.name(),
            key(letter.partition(), letter.offset()).getBytes(StandardCharsets.UTF_8),
            json.writeValueAsBytes(record)));
      }
      tx.commitTransaction();
      for (int i = 0; i < letters.size(); i++) {
        written.add(letter(letters.get(i), records.get(i), false));
        log.info("dead letter {} id={} by={} target={}", action.name().toLowerCase(Locale.ROOT),
            key(letters.get(i).partition(), letters.get(i).offset()), by, records.get(i).path("target"));
      }
      return written;
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

  /** Where a letter goes back to: its origin topic, which must be one of the topology's inputs. */
  private Origin target(ConsumerRecord<byte[], byte[]> letter) {
    Origin origin = origin(letter);
    if (origin.topic() == null || !INPUTS.containsKey(origin.topic())) {
      throw new ProblemException(422, "not-reprocessable", "Not reprocessable",
          "dead letter " + id(letter.partition(), letter.offset()) + " came from "
              + (origin.topic() == null ? "an unknown topic" : "'" + origin.topic() + "'")
              + "; only records of " + INPUTS.keySet().stream().sorted().toList() + " can be sent back",
          List.of(), Optional.empty());
    }
    return origin;
  }

  // ------------------------------------------------------------------------------------------ reading

  private interface LetterSink {
    void accept(ConsumerRecord<byte[], byte[]> record, long total);
  }

  private KafkaConsumer<byte[], byte[]> consumer(String clientSuffix) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "seismo-api-dlq-" + clientSuffix);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    try {
      return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
    } catch (KafkaException e) {
      throw ProblemException.unavailable("Kafka does not answer (" + e.getClass().getSimpleName() + "); retry");
    }
  }

  private void readLetters(Integer onlyPartition, LetterSink sink, long[] totals) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("list")) {
      List<TopicPartition> partitions = partitions(consumer, Topics.DLQ.name()).stream()
          .filter(p -> onlyPartition == null || p.partition() == onlyPartition).toList();
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      consumer.assign(partitions);
      Map<TopicPartition, Long> from = new HashMap<>();
      for (TopicPartition partition : partitions) {
        long start = Math.max(begin.get(partition), end.get(partition) - SCAN_PER_PARTITION);
        from.put(partition, start);
        consumer.seek(partition, start);
        totals[0] += end.get(partition) - begin.get(partition);
      }
      drain(consumer, end, record -> {
        totals[1]++;
        sink.accept(record, totals[0]);
      });
    }
  }

  /** Reads every assigned partition up to {@code end} (positions pass markers of transactions too). */
  private static void drain(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
                            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw ProblemException.unavailable("reading " + end.keySet().iterator().next().topic()
            + " took longer than " + READ_TIMEOUT.toSeconds() + " s; retry");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < end.get(partition)) {
          sink.accept(record);
        }
      }
    }
  }

  private ConsumerRecord<byte[], byte[]> readOne(int partition, long offset) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("get")) {
      TopicPartition at = new TopicPartition(Topics.DLQ.name(), partition);
      if (!partitions(consumer, Topics.DLQ.name()).contains(at)) {
        throw ProblemException.notFound("no dead letter " + key(partition, offset) + ": " + Topics.DLQ.name()
            + " has no partition " + partition);
      }
      long begin = consumer.beginningOffsets(List.of(at)).get(at);
      long end = consumer.endOffsets(List.of(at)).get(at);
      if (offset < begin || offset >= end) {
        throw ProblemException.notFound("no dead letter " + key(partition, offset) + " (partition " + partition
            + " holds offsets " + begin + " to " + (end - 1) + ")");
      }
      consumer.assign(List.of(at));
      consumer.seek(at, offset);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline && consumer.position(at) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == offset) {
            return record;
          }
          if (record.offset() > offset) {
            break;
          }
        }
        if (consumer.position(at) > offset) {
          break;
        }
      }
      // an aborted or control record: not a letter
      throw ProblemException.notFound("no dead letter " + key(partition, offset) + " (not a committed record)");
    }
  }

  /** Every recorded action, by letter key. */
  private Map<String, JsonNode> readActions() {
    Map<String, JsonNode> recorded = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("actions")) {
      List<TopicPartition> partitions = partitions(consumer, Topics.DLQ_ACTIONS.name());
      if (partitions.isEmpty()) {
        return recorded;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      drain(consumer, consumer.endOffsets(partitions), record -> {
        if (record.key() == null) {
          return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
          recorded.remove(key);
          return;
        }
        try {
          recorded.put(key, json.readTree(record.value()));
        } catch (IOException e) {
          log.warn("unreadable dead letter action key={} error={}", key, e.toString());
        }
      });
    }
    return recorded;
  }

  // ------------------------------------------------------------------------------------------ shaping

  private Letter letter(ConsumerRecord<byte[], byte[]> record, JsonNode action, boolean full) {
    Origin origin = origin(record);
    String stack = header(record, ERRORS + "stacktrace");
    if (stack != null && !full) {
      stack = stack.lines().limit(8).collect(Collectors.joining("\n"));
    }
    Error error = new Error(header(record, ERRORS + "exception"), header(record, ERRORS + "message"), stack);
    byte[] value = record.value();
    return new Letter(id(record.partition(), record.offset()), record.partition(), record.offset(),
        Instant.ofEpochMilli(record.timestamp()), record.key() == null ? null : text(record.key()), origin, error,
        value == null ? 0 : value.length, decode(origin.topic(), value, full ? MAX_DECODED_CHARS * 4 : MAX_DECODED_CHARS / 16),
        action);
  }

  private static Origin origin(ConsumerRecord<byte[], byte[]> record) {
    return new Origin(header(record, ERRORS + "topic"), integer(header(record, ERRORS + "partition")),
        longValue(header(record, ERRORS + "offset")));
  }

  /** Avro of the origin topic's schema where it decodes, else UTF-8 text, else base64; bounded to {@code max} chars. */
  Decoded decode(String topic, byte[] value, int max) {
    if (value == null) {
      return new Decoded("null", null, null, false);
    }
    TopicSpec<String, ?> spec = topic == null ? null : INPUTS.get(topic);
    if (spec != null) {
      try {
        Object decoded = spec.valueSerde().deserializer().deserialize(topic, value);
        if (decoded instanceof SpecificRecord avro) {
          String text = avro.toString();
          String schema = avro.getSchema().getFullName();
          if (text.length() <= max) {
            try {
              return new Decoded("avro", schema, json.readTree(text), false);
            } catch (IOException notJson) {
              return new Decoded("avro", schema, text, false);
            }
          }
          return new Decoded("avro", schema, text.substring(0, max), true);
        }
      } catch (RuntimeException undecodable) {
        // not this topic's schema: shown as text or bytes below
      }
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
      boolean printable = text.codePoints().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t');
      if (printable) {
        return new Decoded("text", null, text.length() > max ? text.substring(0, max) : text, text.length() > max);
      }
    } catch (CharacterCodingException notText) {
      // bytes below
    }
    int shown = Math.min(value.length, max * 3 / 4);
    return new Decoded("base64", null, Base64.getEncoder().encodeToString(Arrays.copyOf(value, shown)),
        shown < value.length);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : text(header.value());
  }

  private static Integer integer(String raw) {
    try {
      return raw == null ? null : Integer.valueOf(raw.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long longValue(String raw) {
    try {
      return raw == null ? null : Long.valueOf(raw.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String key(int partition, long offset) {
    return partition + "@" + offset;
  }

  /** {@code <partition>-<offset>} as the REST API names a letter. */
  private static TopicPartition parse(String id) {
    String[] parts = id == null ? new String[0] : id.split("-", -1);
    if (parts.length == 2) {
      try {
        int partition = Integer.parseInt(parts[0]);
        long offset = Long.parseLong(parts[1]);
        if (partition >= 0 && offset >= 0) {
          return new TopicPartition(Topics.DLQ.name(), partition);
        }
      } catch (NumberFormatException ignoredBecauseReportedBelow) {
        // reported below
      }
    }
    throw ProblemException.badRequest("a dead letter id is <partition>-<offset>, like 0-42",
        List.of(new FieldError("id", "not <partition>-<offset>: '" + (id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'")));
  }

  private static long offsetOf(String id) {
    parse(id);
    return Long.parseLong(id.split("-", -1)[1]);
  }

  /** The REST id of a letter. */
  public static String id(int partition, long offset) {
    return partition + "-" + offset;
  }

  @Override
  public void close() {
    actions.lock();
    try {
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
        producer = null;
      }
    } finally {
      actions.unlock();
    }
  }
}
