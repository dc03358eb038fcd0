package io.seismo.api.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.dlq.DlqService.Decoded;
import io.seismo.api.dlq.DlqService.Error;
import io.seismo.api.dlq.DlqService.Letter;
import io.seismo.api.dlq.DlqService.Origin;
import io.seismo.schemas.topic.TopicSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** A dead letter record as the API shows it: its origin and error from the Kafka Streams headers, its value decoded. */
final class LetterView {

  static final String ERRORS = "__streams.errors.";
  private static final int MAX_DECODED_CHARS = 64 * 1024;

  private final ObjectMapper json;

  LetterView(ObjectMapper json) {
    this.json = json;
  }

  /** {@code full}: the whole stack trace and a larger bound on the decoded value. */
  Letter letter(ConsumerRecord<byte[], byte[]> record, JsonNode action, boolean full) {
    Origin origin = origin(record);
    String stack = header(record, ERRORS + "stacktrace");
    if (stack != null && !full) {
      stack = stack.lines().limit(8).collect(Collectors.joining("\n"));
    }
    Error error = new Error(header(record, ERRORS + "exception"), header(record, ERRORS + "message"), stack);
    byte[] value = record.value();
    return new Letter(LetterId.id(record.partition(), record.offset()), record.partition(), record.offset(),
        Instant.ofEpochMilli(record.timestamp()), record.key() == null ? null : text(record.key()), origin, error,
        value == null ? 0 : value.length, decode(origin.topic(), value, full ? MAX_DECODED_CHARS * 4 : MAX_DECODED_CHARS / 16),
        action);
  }

  static Origin origin(ConsumerRecord<byte[], byte[]> record) {
    return new Origin(header(record, ERRORS + "topic"), integer(header(record, ERRORS + "partition")),
        longValue(header(record, ERRORS + "offset")));
  }

  /** Avro of the origin topic's schema where it decodes, else UTF-8 text, else base64; bounded to {@code max} chars. */
  Decoded decode(String topic, byte[] value, int max) {
    if (value == null) {
      return new Decoded("null", null, null, false);
    }
    TopicSpec<String, ?> spec = topic == null ? null : Redrive.INPUTS.get(topic);
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
}
