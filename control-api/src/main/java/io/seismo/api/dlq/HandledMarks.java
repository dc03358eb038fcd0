package io.seismo.api.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The table of handled letters on {@code seismo.dlq.actions}: one mark per letter key, the last one wins. */
final class HandledMarks {

  private static final Logger log = LoggerFactory.getLogger(HandledMarks.class);

  private final LetterReader reader;
  private final Clock clock;
  private final ObjectMapper json;

  HandledMarks(LetterReader reader, Clock clock, ObjectMapper json) {
    this.reader = reader;
    this.clock = clock;
    this.json = json;
  }

  /** Every recorded mark, by letter key. */
  Map<String, JsonNode> read() {
    Map<String, JsonNode> recorded = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = reader.consumer("actions")) {
      List<TopicPartition> partitions = LetterReader.partitions(consumer, Topics.DLQ_ACTIONS.name());
      if (partitions.isEmpty()) {
        return recorded;
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      LetterReader.drain(consumer, consumer.endOffsets(partitions), record -> {
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

  /** The mark of an action taken now; {@code target} is where a re-processed letter went, else null. */
  ObjectNode mark(DlqService.Action action, String by, RecordMetadata target) {
    ObjectNode record = json.createObjectNode();
    record.put("action", action.name());
    record.put("at", clock.instant().toString());
    record.put("by", by);
    if (target != null) {
      ObjectNode sent = record.putObject("target");
      sent.put("topic", target.topic());
      sent.put("partition", target.partition());
      sent.put("offset", target.offset());
    }
    return record;
  }
}
