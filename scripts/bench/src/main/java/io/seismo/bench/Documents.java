package io.seismo.bench;

import java.util.Random;

/** Deterministic JSON documents of realistic shapes and sizes. */
final class Documents {

  private Documents() {}

  /** An object with a list of records, about {@code targetBytes} long; {@code version} changes one field. */
  static String catalogue(int targetBytes, int version) {
    Random random = new Random(42);
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
}
