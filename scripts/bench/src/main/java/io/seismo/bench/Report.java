package io.seismo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of a run, from its results (the JSON written by {@link BenchMain}): as text for the
 * terminal (every round of every row) and as the README's markdown table. Both read the same JSON, so
 * the README table of a committed results file is regenerated, not retyped.
 */
final class Report {

  private Report() {}

  static Map<String, Object> toMap(Row row) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("measure", row.measure());
    map.put("unit", row.unit());
    map.put("seismo", number(row.seismo()));
    map.put("baseline", number(row.baseline()));
    map.put("ratio", number(row.ratio()));
    map.put("target", row.target());
    map.put("targetText", target(row.higherIsBetter(), row.target(), row.unit(), !Double.isNaN(row.baseline())));
    map.put("higherIsBetter", row.higherIsBetter());
    map.put("pass", row.pass());
    map.put("failure", row.failure());
    map.put("sides", row.sides());
    map.put("note", row.note());
    List<Map<String, Object>> rounds = new ArrayList<>();
    for (Row.Round round : row.rounds()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("seismo", number(round.seismo()));
      r.put("baseline", number(round.baseline()));
      r.put("ratio", number(round.ratio()));
      rounds.add(r);
    }
    map.put("rounds", rounds);
    return map;
  }

  /** NaN as null: JSON has no NaN. */
  private static Double number(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
  }

  private static String target(boolean higherIsBetter, double target, String unit, boolean hasBaseline) {
    if (higherIsBetter) {
      return "≥ " + trim(target) + "×";
    }
    return "≤ " + BenchMain.format(target, unit);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  static String text(JsonNode report) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n%-62s %16s %16s %8s %14s  %s%n", "measure", "Seismo", "baseline", "ratio",
        "target", "result"));
    for (JsonNode row : report.path("results")) {
      out.append(String.format(Locale.ROOT, "%-62s %16s %16s %8s %14s  %s%n", row.path("measure").asText(),
          value(row, "seismo"), value(row, "baseline"), ratio(row.path("ratio")), row.path("targetText").asText(),
          result(row)));
    }
    out.append(String.format(Locale.ROOT, "%nrows in detail (what both sides do; every round: Seismo / baseline = ratio):%n"));
    for (JsonNode row : report.path("results")) {
      out.append(String.format(Locale.ROOT, "%n  %s%n", row.path("measure").asText()));
      if (!row.path("sides").asText().isEmpty()) {
        out.append("    sides:  ").append(row.path("sides").asText()).append('\n');
      }
      if (!row.path("note").asText().isEmpty()) {
        out.append("    note:   ").append(row.path("note").asText()).append('\n');
      }
      if (!row.path("failure").isNull() && !row.path("failure").isMissingNode()) {
        out.append("    FAIL:   ").append(row.path("failure").asText()).append('\n');
      }
      int i = 1;
      for (JsonNode round : row.path("rounds")) {
        out.append(String.format(Locale.ROOT, "    round %d: %s / %s = %s%n", i++, Progress.number(asDouble(round.path("seismo"))),
            Progress.number(asDouble(round.path("baseline"))), ratio(round.path("ratio"))));
      }
    }
    JsonNode machine = report.path("machine");
    out.append(String.format(Locale.ROOT, "%n%d rows in %d s; commit %s; %d cores (%s), %s; load average %.1f at the start, %.1f at the end%n",
        report.path("results").size(), report.path("seconds").asLong(), report.path("commit").asText(),
        machine.path("cores").asInt(), machine.path("cpu").asText(), machine.path("jvm").asText(),
        machine.path("loadAverageStart").asDouble(), machine.path("loadAverageEnd").asDouble()));
    return out.toString();
  }

  /** The README's table (markdown) of a results file. */
  static String readme(JsonNode report) {
    StringBuilder out = new StringBuilder();
    JsonNode machine = report.path("machine");
    out.append(String.format(Locale.ROOT, "Run `%s` at commit `%s` on %s: %d cores (%s), %s, load average %.1f → %.1f, %d s.%n%n",
        report.path("command").asText(), report.path("commit").asText(), report.path("at").asText().substring(0, 10),
        machine.path("cores").asInt(), machine.path("cpu").asText(), machine.path("jvm").asText(),
        machine.path("loadAverageStart").asDouble(), machine.path("loadAverageEnd").asDouble(Double.NaN), report.path("seconds").asLong()));
    if (report.path("partial").asBoolean()) {
      out.append("**Partial run**: it was stopped before every group had run; the groups missing are not in the table.\n\n");
    }
    out.append("| measure | Seismo | baseline | ratio | target | result | what both sides do |\n");
    out.append("|---|---:|---:|---:|---:|---|---|\n");
    for (JsonNode row : report.path("results")) {
      // a row without a peer (the scale rows) says what it measures instead
      String sides = row.path("sides").asText().isEmpty() ? row.path("note").asText() : row.path("sides").asText();
      String failure = row.path("failure").isTextual() ? " **FAIL: " + row.path("failure").asText() + "**" : "";
      out.append("| ").append(cell(row.path("measure").asText())).append(" | ").append(value(row, "seismo"))
          .append(" | ").append(value(row, "baseline")).append(" | ").append(ratio(row.path("ratio")))
          .append(" | ").append(row.path("targetText").asText()).append(" | ").append(result(row))
          .append(" | ").append(cell(sides + failure)).append(" |\n");
    }
    return out.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static String result(JsonNode row) {
    return row.path("pass").asBoolean() ? "PASS" : "FAIL";
  }

  private static String value(JsonNode row, String field) {
    return BenchMain.format(asDouble(row.path(field)), row.path("unit").asText());
  }

  private static String ratio(JsonNode ratio) {
    return ratio.isNumber() ? String.format(Locale.ROOT, "%.2f×", ratio.asDouble()) : "-";
  }

  private static double asDouble(JsonNode node) {
    return node.isNumber() ? node.asDouble() : Double.NaN;
  }
}
