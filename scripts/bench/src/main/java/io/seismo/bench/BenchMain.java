package io.seismo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every benchmark, prints one table (measure, Seismo, baseline, ratio, target, pass/fail) and
 * writes it as JSON to target/bench/results-&lt;time&gt;.json. {@code --quick} for a short run,
 * {@code --only=analysis|ingest|sse|topology|api} for one group.
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    long started = System.nanoTime();
    Measure.Settings settings = quick ? new Measure.Settings(0.5, 3, 0.5) : new Measure.Settings(2, 5, 1.5);
    List<Row> rows = new ArrayList<>();
    String only = List.of(args).stream().filter(arg -> arg.startsWith("--only=")).map(arg -> arg.substring(7))
        .findFirst().orElse("all");
    if (only.equals("all") || only.equals("analysis")) {
      rows.addAll(new AnalysisBench(settings).run());
      rows.addAll(new SerdeBench(settings).run());
    }
    if (only.equals("all") || only.equals("ingest")) {
      rows.addAll(new IngestBench(quick).run());
    }
    if (only.equals("all") || only.equals("topology")) {
      rows.addAll(new KafkaBench(quick).run());
    }
    if (only.equals("all") || only.equals("api")) {
      rows.addAll(new ApiBench(quick).run());
    }
    if (only.equals("all") || only.equals("scale")) rows.addAll(new ScaleBench(quick).run()); // 1k → 10k → 100k APIs
    if (only.equals("all") || only.equals("sse")) { // last: its 10,000 streams leave garbage behind
      rows.addAll(new SseBench(quick).run());
    }

    System.out.printf(Locale.ROOT, "%n%-46s %16s %16s %9s %14s  %s%n", "measure", "Seismo", "baseline", "ratio", "target",
        "result");
    for (Row row : rows) {
      String target = row.higherIsBetter() ? "≥" + row.target() + "x" : "≤" + format(row.target(), row.unit());
      System.out.printf(Locale.ROOT, "%-46s %16s %16s %9s %14s  %s%n", row.measure(), format(row.seismo(), row.unit()),
          Double.isNaN(row.baseline()) ? "-" : format(row.baseline(), row.unit()),
          Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.2fx", row.ratio()), target,
          row.pass() ? "PASS" : "FAIL");
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "%nnotes:%n");
    rows.forEach(row -> System.out.printf("  %-40s %s%n", row.measure(), row.note()));
    System.out.printf(Locale.ROOT, "%n%d measures in %.0f s on %d cores, %s %s%n", rows.size(), seconds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"));

    Path dir = Path.of("target", "bench");
    Files.createDirectories(dir);
    Path file = dir.resolve("results-" + Instant.now().toString().replaceAll("[:.]", "-") + ".json");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("at", Instant.now().toString());
    report.put("quick", quick);
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("java", System.getProperty("java.version"));
    report.put("results", rows);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    System.out.println("written " + file);
    if (rows.stream().anyMatch(row -> !row.pass())) {
      System.exit(3);
    }
  }

  private static String format(double value, String unit) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f %s", value, unit);
    }
    return String.format(Locale.ROOT, "%.2f %s", value, unit);
  }
}
