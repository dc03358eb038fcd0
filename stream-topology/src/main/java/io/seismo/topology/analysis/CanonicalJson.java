package io.seismo.topology.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Parses payloads as JSON and writes them in one canonical form (object keys sorted, no whitespace),
 * so that two documents with the same content have the same bytes and the same hash whatever the
 * upstream's key order or formatting.
 */
public final class CanonicalJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .nodeFactory(new SortedObjects())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(500).maxStringLength(16 * 1024 * 1024).build());
  }

  private CanonicalJson() {}

  /** The parsed document, or empty when the bytes are not one JSON value (or hold a number too large to represent). */
  public static Optional<JsonNode> parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.readTree(bytes)).filter(node -> !node.isMissingNode());
    } catch (IOException e) {
      return Optional.empty();
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty(); // a number BigDecimal cannot hold (exponent beyond an int), e.g. 1e9999999999
    }
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a parsed document", e);
    }
  }

  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a parsed document", e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses objects into sorted maps, so that writing them sorted ({@code WRITE_PROPERTIES_SORTED}) needs no
   * sorted copy of every object: Jackson's {@code ObjectNode} copies its properties into a {@code TreeMap} for
   * sorted output unless they already are one. Objects built elsewhere are still written sorted, by that copy.
   */
  private static final class SortedObjects extends JsonNodeFactory {

    @Override
    public ObjectNode objectNode() {
      return new ObjectNode(this, new TreeMap<>());
    }
  }
}
