package io.seismo.api.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), as the ingest's {@code /metrics} serves it:
 * {@code name{label="value",...} number}. Comments, timestamps and malformed lines are skipped. Written
 * here because the format's Java parsers come with whole client libraries (simpleclient's is test-only),
 * and /system needs a few gauges and counters of one known exporter (Micrometer's), not the whole model.
 */
public final class PrometheusText {

  public record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  public static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Sample sample = sample(trimmed);
      if (sample != null) {
        samples.add(sample);
      }
    }
    return samples;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (i < line.length() && line.charAt(i) != '}') {
        int equals = line.indexOf('=', i);
        if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
          return null;
        }
        String label = line.substring(i, equals).strip();
        StringBuilder value = new StringBuilder();
        int j = equals + 2;
        for (; j < line.length() && line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < line.length()) {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
        }
        if (j >= line.length()) {
          return null;
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        }
      }
      if (i >= line.length()) {
        return null;
      }
      rest = line.substring(i + 1).strip();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    }
    String number = rest.split("\\s+")[0];
    try {
      double value = switch (number) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(number);
      };
      return new Sample(name, labels, value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
