package io.seismo.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;

/** Deterministic JSON documents of realistic shapes and sizes. */
final class Documents {

  private Documents() {}

  /** An object with a list of records, about {@code targetBytes} long; {@code version} changes one field. */
  static String catalogue(int targetBytes, int version) {
    return catalogue(targetBytes, version, 42);
  }

  /** As {@link #catalogue(int, int)}, with other names, prices and stock for another {@code seed}. */
  static String catalogue(int targetBytes, int version, long seed) {
    Random random = new Random(seed);
    StringBuilder json = new StringBuilder("{\"service\":\"catalogue\",\"version\":").append(version).append(",\"items\":[");
    int i = 0;
    while (json.length() < targetBytes) {
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item-").append(random.nextInt(1_000_000))
          .append("\",\"price\":").append(random.nextInt(10_000) / 100.0).append(",\"tags\":[\"a\",\"b\",\"c\"]")
          .append(",\"stock\":").append(i == 3 ? version : random.nextInt(500)).append("}");
      i++;
    }
    return json.append("]}").toString();
  }

  /** Two arrays of {@code size} numbers where every 7th element differs. */
  static String[] arrays(int size) {
    Random random = new Random(7);
    StringBuilder a = new StringBuilder("{\"items\":[");
    StringBuilder b = new StringBuilder("{\"items\":[");
    for (int i = 0; i < size; i++) {
      int value = random.nextInt();
      a.append(i == 0 ? "" : ",").append(value);
      b.append(i == 0 ? "" : ",").append(i % 7 == 0 ? random.nextInt() : value);
    }
    return new String[] {a.append("]}").toString(), b.append("]}").toString()};
  }

  /**
   * A catalogue of about {@code targetBytes} with a nested owner/limits object and nested dimensions per
   * item. Version 0 is the base; every later version differs from it the way real API responses do:
   * 5 fields of random items changed, 2 items inserted and 1 removed in the middle of the array, and a
   * value of the nested object changed. Deterministic per version.
   */
  static String realistic(int targetBytes, int version) {
    ObjectMapper mapper = new ObjectMapper();
    try {
      ObjectNode root =
          (ObjectNode) mapper.readTree(catalogue(targetBytes, 0, 42));
      ObjectNode meta = root.putObject("meta");
      meta.putObject("owner").put("name", "team-catalogue").put("contact", "catalogue@example.org");
      meta.putObject("limits").put("rate", 100).put("burst", 20);
      ArrayNode items = (ArrayNode) root.get("items");
      for (int i = 0; i < items.size(); i++) {
        ((ObjectNode) items.get(i)).putObject("dims").put("w", i % 40).put("h", i % 25);
      }
      if (version > 0) {
        Random random = new Random(1000 + version);
        int n = items.size();
        for (int c = 0; c < 5; c++) { // several fields, one of them nested
          ObjectNode item =
              (ObjectNode) items.get(random.nextInt(n));
          switch (c % 3) {
            case 0 -> item.put("price", random.nextInt(10_000) / 100.0);
            case 1 -> item.put("stock", random.nextInt(500));
            default -> ((ObjectNode) item.get("dims")).put("w", random.nextInt(40));
          }
        }
        int middle = n / 2;
        items.remove(middle + random.nextInt(n / 10)); // removed in the middle
        for (int insert = 0; insert < 2; insert++) { // inserted in the middle
          items.insertObject(middle - n / 10 + random.nextInt(n / 5)).put("id", 100_000 + version * 10 + insert)
              .put("name", "new-" + version + "-" + insert).put("price", 1.5).put("stock", 3);
        }
        ((ObjectNode) meta.get("limits")).put("rate", 100 + version);
      }
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
