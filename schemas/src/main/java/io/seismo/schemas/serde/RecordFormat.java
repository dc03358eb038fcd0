package io.seismo.schemas.serde;

import io.seismo.schemas.topic.TopicSpec;
import java.io.IOException;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How Seismo writes the values of its analysis topics, chosen by {@code SEISMO_OUTPUT_FORMAT}: Avro single-object
 * encoding or plain JSON ({@link JsonRecords}); readers accept both (docs/output-formats.md).
 */
public enum RecordFormat {
  AVRO,
  JSON;

  public static final String SETTING = "SEISMO_OUTPUT_FORMAT";

  /**
   * {@code avro} or {@code json}, in any case, as {@value #SETTING} is written; throws IllegalArgumentException
   * saying what it accepts (the services report it as a bad {@value #SETTING}).
   */
  public static RecordFormat parse(String value) {
    String raw = value.strip().toLowerCase(Locale.ROOT);
    return switch (raw) {
      case "avro" -> AVRO;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("must be avro or json, got '" + raw + "'");
    };
  }

  /** The serializer of {@code topic}'s values in this format. */
  public <T extends SpecificRecord> Serializer<T> serializer(TopicSpec<String, T> topic) {
    if (this == AVRO) {
      return topic.valueSerde().serializer();
    }
    return (name, value) -> {
      if (value == null) {
        return null;
      }
      try {
        return JsonRecords.encode(value);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("cannot encode " + value.getClass().getSimpleName() + " as JSON for topic "
            + name + ": " + e.getMessage(), e);
      }
    };
  }
}
