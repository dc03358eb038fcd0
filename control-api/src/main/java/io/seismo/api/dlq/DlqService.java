package io.seismo.api.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.api.error.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The dead-letter queue ({@code seismo.dlq}) for operators: lists and shows letters, and re-processes or
 * discards them, each action recorded on {@code seismo.dlq.actions}.
 */
public final class DlqService implements AutoCloseable {

  public static final String REPROCESSED_FROM_HEADER = "seismo.dlq.reprocessed-from";

  public enum Action { REPROCESSED, DISCARDED }

  /** One dead letter as the API shows it. */
  public record Letter(String id, int partition, long offset, Instant timestamp, String key, Origin origin,
                       Error error, int valueBytes, Decoded decoded, JsonNode action) {}

  public record Origin(String topic, Integer partition, Long offset) {}

  public record Error(String exception, String message, String stacktrace) {}

  /** The value decoded: {@code avro} (the origin topic's schema, as JSON), {@code text} (UTF-8), or {@code base64}. */
  public record Decoded(String format, String schema, Object value, boolean truncated) {}

  public record Page(List<Letter> items, long total, long scanned, long open) {}

  private final ReentrantLock actions = new ReentrantLock();
  private final LetterReader reader;
  private final HandledMarks marks;
  private final LetterView view;
  private final Redrive redrive; // guarded by actions

  public DlqService(String bootstrapServers, Properties kafka, String instance, Clock clock, ObjectMapper json) {
    this.reader = new LetterReader(bootstrapServers, kafka);
    this.marks = new HandledMarks(reader, clock, json);
    this.view = new LetterView(json);
    this.redrive = new Redrive(bootstrapServers, kafka, instance, marks, json);
  }

  /** The newest letters first; {@code state}: all, open (no action yet) or handled. */
  public Page list(int limit, String state) {
    Map<String, JsonNode> recorded = marks.read();
    List<Letter> letters = new ArrayList<>();
    long[] totals = new long[2];
    reader.readLetters(null, (record, total) -> letters.add(view.letter(record,
        recorded.get(LetterId.key(record.partition(), record.offset())), false)), totals);
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
    LetterId at = LetterId.parse(id);
    return view.letter(reader.readOne(at.partition(), at.offset()), marks.read().get(at.key()), true);
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
      Map<String, JsonNode> recorded = marks.read();
      List<ConsumerRecord<byte[], byte[]>> todo = new ArrayList<>();
      // several: one read of the scanned letters instead of one consumer per letter
      Map<String, ConsumerRecord<byte[], byte[]>> scanned = new HashMap<>();
      if (ids.size() > 1) {
        reader.readLetters(null, (record, total) -> scanned.put(LetterId.id(record.partition(), record.offset()), record),
            new long[2]);
      }
      for (String id : ids) {
        LetterId at = LetterId.parse(id);
        JsonNode done = recorded.get(at.key());
        if (done != null) {
          if (single) {
            throw ProblemException.conflict("dead letter " + id + " was already " + done.path("action").asText().toLowerCase(Locale.ROOT)
                + " at " + done.path("at").asText());
          }
          continue;
        }
        ConsumerRecord<byte[], byte[]> letter = scanned.containsKey(id) ? scanned.get(id) : reader.readOne(at.partition(), at.offset());
        if (action == Action.REPROCESSED) {
          Redrive.target(letter); // 422 before anything is written
        }
        todo.add(letter);
      }
      if (todo.isEmpty()) {
        return List.of();
      }
      List<ObjectNode> written = redrive.write(todo, action, by);
      List<Letter> letters = new ArrayList<>();
      for (int i = 0; i < todo.size(); i++) {
        letters.add(view.letter(todo.get(i), written.get(i), false));
      }
      return letters;
    } finally {
      actions.unlock();
    }
  }

  @Override
  public void close() {
    actions.lock();
    try {
      redrive.close();
    } finally {
      actions.unlock();
    }
  }
}
