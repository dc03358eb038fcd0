package io.seismo.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The plain-JSON form of our Avro records, what {@code kcat | jq} read without an Avro library, written and read
 * against the current schema; the mapping and why it is hand-written are in docs/architecture.md.
 */
public final class JsonRecords {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private JsonRecords() {}

  /** The record as UTF-8 JSON. */
  public static byte[] encode(SpecificRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
      write(generator, record.getSchema(), record);
    }
    return out.toByteArray();
  }

  /** A record of {@code type} (whose schema is {@code schema}) from its JSON form. */
  public static <T extends SpecificRecord> T decode(Class<T> type, Schema schema, byte[] json) throws IOException {
    JsonNode node = JSON.readTree(json);
    if (node == null || !node.isObject()) {
      throw new IOException("expected a JSON object for " + schema.getName());
    }
    return type.cast(read(schema, node, SpecificData.getForClass(type)));
  }

  private static void write(JsonGenerator out, Schema schema, Object value) throws IOException {
    switch (schema.getType()) {
      case RECORD -> {
        IndexedRecord record = (IndexedRecord) value;
        out.writeStartObject();
        for (Schema.Field field : schema.getFields()) {
          out.writeFieldName(field.name());
          write(out, field.schema(), record.get(field.pos()));
        }
        out.writeEndObject();
      }
      case UNION -> {
        if (value == null) {
          out.writeNull();
        } else {
          write(out, branch(schema, value), value);
        }
      }
      case NULL -> out.writeNull();
      case STRING -> out.writeString(value.toString());
      case ENUM -> out.writeString(value.toString());
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case INT -> out.writeNumber(((Number) value).intValue());
      case LONG -> out.writeNumber(value instanceof Instant instant ? instant.toEpochMilli() : ((Number) value).longValue());
      case FLOAT -> out.writeNumber(((Number) value).floatValue());
      case DOUBLE -> out.writeNumber(((Number) value).doubleValue());
      case BYTES -> {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.writeString(Base64.getEncoder().encodeToString(bytes));
      }
      case FIXED -> out.writeString(Base64.getEncoder().encodeToString(((GenericContainer & GenericFixed) value).bytes()));
      case ARRAY -> {
        out.writeStartArray();
        for (Object item : (Collection<?>) value) {
          write(out, schema.getElementType(), item);
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(entry.getKey().toString());
          write(out, schema.getValueType(), entry.getValue());
        }
        out.writeEndObject();
      }
    }
  }

  /** The branch of a union {@code value} is written as: the first non-null branch that fits it. */
  private static Schema branch(Schema union, Object value) {
    for (Schema candidate : union.getTypes()) {
      if (candidate.getType() != Schema.Type.NULL && fits(candidate, value)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no branch of " + union + " fits a " + value.getClass().getSimpleName());
  }

  private static boolean fits(Schema schema, Object value) {
    return switch (schema.getType()) {
      case RECORD -> value instanceof IndexedRecord r && r.getSchema().getFullName().equals(schema.getFullName());
      case ENUM -> value instanceof Enum<?> || value instanceof GenericEnumSymbol<?>;
      case STRING -> value instanceof CharSequence;
      case BOOLEAN -> value instanceof Boolean;
      case INT -> value instanceof Integer;
      case LONG -> value instanceof Long || value instanceof Instant;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BYTES -> value instanceof ByteBuffer;
      case ARRAY -> value instanceof Collection<?>;
      case MAP -> value instanceof Map<?, ?>;
      default -> false;
    };
  }

  private static Object read(Schema schema, JsonNode node, SpecificData model) throws IOException {
    switch (schema.getType()) {
      case RECORD -> {
        if (!node.isObject()) {
          throw new IOException(schema.getName() + ": expected an object");
        }
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
          JsonNode value = node.get(field.name());
          if (value == null) {
            if (!field.hasDefaultValue()) {
              throw new IOException(schema.getName() + "." + field.name() + ": missing and has no default");
            }
            record.put(field.pos(), model.deepCopy(field.schema(), model.getDefaultValue(field)));
          } else {
            record.put(field.pos(), read(field.schema(), value, model));
          }
        }
        return record;
      }
      case UNION -> {
        if (node.isNull()) {
          if (schema.getTypes().stream().noneMatch(s -> s.getType() == Schema.Type.NULL)) {
            throw new IOException("null where " + schema + " allows none");
          }
          return null;
        }
        IOException last = null;
        for (Schema candidate : schema.getTypes()) {
          if (candidate.getType() == Schema.Type.NULL) {
            continue;
          }
          try {
            return read(candidate, node, model);
          } catch (IOException | RuntimeException e) {
            last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
          }
        }
        throw last != null ? last : new IOException("no branch of " + schema + " fits");
      }
      case NULL -> {
        return null;
      }
      case STRING -> {
        return text(node, schema);
      }
      case ENUM -> {
        String symbol = text(node, schema);
        if (!schema.hasEnumSymbol(symbol)) {
          if (schema.getEnumDefault() == null) {
            throw new IOException(schema.getName() + ": unknown symbol " + symbol);
          }
          symbol = schema.getEnumDefault(); // a symbol added by a newer writer, as Avro resolves it
        }
        return model.createEnum(symbol, schema);
      }
      case BOOLEAN -> {
        if (!node.isBoolean()) {
          throw new IOException("expected a boolean, got " + node.getNodeType());
        }
        return node.booleanValue();
      }
      case INT -> {
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
          throw new IOException("expected an int, got " + node);
        }
        return node.intValue();
      }
      case LONG -> {
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
          throw new IOException("expected a long, got " + node);
        }
        LogicalType logical = schema.getLogicalType();
        return logical instanceof LogicalTypes.TimestampMillis ? Instant.ofEpochMilli(node.longValue()) : (Object) node.longValue();
      }
      case FLOAT -> {
        if (!node.isNumber()) {
          throw new IOException("expected a number, got " + node.getNodeType());
        }
        return node.floatValue();
      }
      case DOUBLE -> {
        if (!node.isNumber()) {
          throw new IOException("expected a number, got " + node.getNodeType());
        }
        return node.doubleValue();
      }
      case BYTES -> {
        try {
          return ByteBuffer.wrap(Base64.getDecoder().decode(text(node, schema)));
        } catch (IllegalArgumentException e) {
          throw new IOException("bytes: not Base64: " + e.getMessage(), e);
        }
      }
      case ARRAY -> {
        if (!node.isArray()) {
          throw new IOException("expected an array, got " + node.getNodeType());
        }
        List<Object> items = new ArrayList<>(node.size());
        for (JsonNode item : node) {
          items.add(read(schema.getElementType(), item, model));
        }
        return items;
      }
      case MAP -> {
        if (!node.isObject()) {
          throw new IOException("expected an object, got " + node.getNodeType());
        }
        Map<String, Object> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          map.put(entry.getKey(), read(schema.getValueType(), entry.getValue(), model));
        }
        return map;
      }
      default -> throw new IOException("unsupported schema type " + schema.getType());
    }
  }

  private static String text(JsonNode node, Schema schema) throws IOException {
    if (!node.isTextual()) {
      throw new IOException("expected a string for " + schema.getType() + ", got " + node.getNodeType());
    }
    return node.textValue();
  }
}
