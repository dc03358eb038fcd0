package io.seismo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.ContentHash;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.JsonPatchDiff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The analysis path without Kafka: unchanged vs changed payloads, diff latency, the large-array guard. */
final class AnalysisBench {

  private final Measure.Settings settings;

  AnalysisBench(Measure.Settings settings) {
    this.settings = settings;
  }

  List<Row> run() throws Exception {
    List<Row> rows = new ArrayList<>();
    DocumentAnalyzer analyzer = new DocumentAnalyzer(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);
    byte[] v1 = Documents.catalogue(50_000, 1).getBytes(StandardCharsets.UTF_8);
    byte[] v2 = Documents.catalogue(50_000, 2).getBytes(StandardCharsets.UTF_8);
    DocumentAnalyzer.Analysis first = analyzer.analyze(v1, null, null, null);
    byte[] canonical = first.document();
    Measure.Result unchanged = Measure.run(() -> analyzer.analyze(v1, null, first.hash(), () -> CanonicalJson.parse(canonical),
        first.bodyHash()), settings);
    Measure.Result changed = Measure.run(() -> analyzer.analyze(v2, null, first.hash(), () -> CanonicalJson.parse(canonical),
        first.bodyHash()), settings);
    rows.add(Row.higher("analysis: unchanged vs changed 50 KB", "ops/s", unchanged.opsPerSecond(),
        changed.opsPerSecond(), 3.0, "same DocumentAnalyzer; unchanged = byte-identical body (raw XXH3 hash only)"));

    byte[] reordered = new ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(new ObjectMapper().readTree(v1));
    Measure.Result reformatted = Measure.run(() -> analyzer.analyze(reordered, null, first.hash(), () -> CanonicalJson.parse(canonical),
        first.bodyHash()), settings);
    Measure.Result naive = Measure.run(() -> com.flipkart.zjsonpatch.JsonDiff.asJson(
        new ObjectMapper().readTree(canonical), new ObjectMapper().readTree(reordered)).isEmpty(), settings);
    rows.add(Row.higher("analysis: reformatted-equal 50 KB vs naive diff", "ops/s", reformatted.opsPerSecond(),
        naive.opsPerSecond(), 1.0, "canonical JSON + hash vs parse both + zjsonpatch"));

    JsonPatchDiff differ = new JsonPatchDiff(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);
    JsonNode before = CanonicalJson.parse(Documents.catalogue(100_000, 1).getBytes(StandardCharsets.UTF_8)).orElseThrow();
    List<JsonNode> afters = new ArrayList<>();
    for (int version = 2; version < 12; version++) {
      afters.add(CanonicalJson.parse(Documents.catalogue(100_000, version).getBytes(StandardCharsets.UTF_8)).orElseThrow());
    }
    Latencies diffs = new Latencies(100_000);
    Measure.run(() -> {
      JsonNode after = afters.get((int) (System.nanoTime() % afters.size()));
      long start = System.nanoTime();
      Object patch = differ.diff(before, after);
      diffs.add(System.nanoTime() - start);
      return patch;
    }, settings);
    rows.add(Row.lower("diff p99, 100 KB documents", "ms", diffs.percentileMs(0.99), Double.NaN, 5.0,
        "JsonPatchDiff on a 100 KB document with one changed field; target is absolute (≤ 5 ms)"));

    String[] arrays = Documents.arrays(10_000);
    JsonNode a = CanonicalJson.parse(arrays[0].getBytes(StandardCharsets.UTF_8)).orElseThrow();
    JsonNode b = CanonicalJson.parse(arrays[1].getBytes(StandardCharsets.UTF_8)).orElseThrow();
    long start = System.nanoTime();
    int ops = differ.diff(a, b).size();
    double guarded = (System.nanoTime() - start) / 1e6;
    long baselineStart = System.nanoTime();
    int baselineOps = com.flipkart.zjsonpatch.JsonDiff.asJson(a, b).size();
    double baseline = (System.nanoTime() - baselineStart) / 1e6;
    rows.add(Row.lower("10,000-element array change (first call)", "ms", guarded, baseline, 100.0,
        ops + " op(s) vs zjsonpatch " + baselineOps + " ops; target is absolute (≤ 100 ms, no OOM)"));
    return rows;
  }

  static String hash(byte[] bytes) {
    return ContentHash.of(bytes);
  }
}
