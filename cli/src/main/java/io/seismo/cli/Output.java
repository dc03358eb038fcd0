package io.seismo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * How a command prints what the control API answered: {@code --output table} (a readable, aligned table of
 * the main fields), {@code json} or {@code yaml} (the server's body, re-encoded as is).
 */
final class Output {

  enum Format { TABLE, JSON, YAML }

  private Output() {}

  /** {@code -o/--output}, a mixin of every command that prints what the server answered. */
  static final class Options {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
        description = "table, json or yaml (json and yaml: the server's answer as it is)")
    Format format;

    /** The format asked for, else this command's default. */
    Format or(Format defaultFormat) {
      return format == null ? defaultFormat : format;
    }
  }

  /** The body as JSON or YAML, or {@code table} prints it readably. */
  static void print(PrintWriter out, Format format, JsonNode body, Consumer<PrintWriter> table) {
    switch (format) {
      case TABLE -> table.accept(out);
      case JSON -> out.println(encode(body, false));
      case YAML -> out.print(encode(body, true));
    }
    out.flush();
  }

  static String encode(JsonNode body, boolean yaml) {
    try {
      return (yaml ? ApisFile.YAML : ApisFile.JSON).writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A node as a table cell: its text, {@code -} when null or missing, containers as compact JSON. */
  static String cell(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "-";
    }
    if (node.isFloatingPointNumber()) {
      return String.format(Locale.ROOT, "%.1f", node.asDouble());
    }
    return node.isContainerNode() ? node.toString() : node.asText();
  }

  /** A cell cut to {@code max} characters (an ellipsis marks the cut). */
  static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** Milliseconds in the largest unit that divides them, as {@code --interval} takes them: 90s, 5m, 1h. */
  static String millis(JsonNode node) {
    if (!node.isIntegralNumber()) {
      return cell(node);
    }
    long ms = node.asLong();
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  /** Rows under a header, each column as wide as its widest cell; the last column is not padded. */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
      columns = header.length;
      rows.add(header);
    }

    Table row(String... cells) {
      if (cells.length != columns) {
        throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
      }
      rows.add(cells);
      return this;
    }

    void print(PrintWriter out) {
      int[] widths = new int[columns];
      for (String[] row : rows) {
        for (int i = 0; i < columns; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns; i++) {
          line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }

  /** One object as {@code key value} rows under a title (keys padded to at least 12 characters). */
  static final class Details {
    private final String title;
    private final Map<String, String> rows = new LinkedHashMap<>();

    Details(String title) {
      this.title = title;
    }

    Details row(String key, String value) {
      rows.put(key, value);
      return this;
    }

    void print(PrintWriter out) {
      int width = Math.max(12, rows.keySet().stream().mapToInt(String::length).max().orElse(0));
      out.println(title);
      rows.forEach((key, value) -> out.printf("  %-" + width + "s %s%n", key, value));
    }
  }
}
