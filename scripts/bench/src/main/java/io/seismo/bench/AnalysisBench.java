package io.seismo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonDiff;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.ContentHash;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.JsonPatchDiff;
import io.seismo.topology.change.ChangeRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The analysis path without Kafka, like for like: both sides share one ObjectMapper, both get the
 * previous document as the parsed tree production keeps cached (DocumentTrees), and both produce the
 * patch text. Changes have realistic shapes (several fields, array inserts and removes in the middle,
 * nested objects); where the two patches differ in precision the row says so.
 */
final class AnalysisBench {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Measure.Settings settings;

  AnalysisBench(Measure.Settings settings) {
    this.settings = settings;
  }

  List<Row> run() throws Exception {
    List<Row> rows = new ArrayList<>();
    DocumentAnalyzer analyzer = new DocumentAnalyzer(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);
    String method = settings.rounds() + " rounds of " + settings.roundSeconds() + " s after " + settings.warmupSeconds()
        + " s warm-up each, alternating; ratios ";

    // a changed 50 KB document, realistic changes, previous tree cached on both sides
    byte[] v1 = Documents.realistic(50_000, 0).getBytes(StandardCharsets.UTF_8);
    List<byte[]> changed = new ArrayList<>();
    for (int version = 1; version <= 10; version++) {
      changed.add(Documents.realistic(50_000, version).getBytes(StandardCharsets.UTF_8));
    }
    DocumentAnalyzer.Analysis first = analyzer.analyze(v1, null, null, null);
    Optional<JsonNode> cached = Optional.of(first.tree());
    JsonNode cachedPlain = MAPPER.readTree(v1);
    int[] next = {0, 0};
    int seismoOps = analyzer.analyze(changed.get(0), ChangeRules.NONE, first.hash(), () -> cached, first.bodyHash()).opCount();
    int baselineOps = JsonDiff.asJson(cachedPlain, MAPPER.readTree(changed.get(0))).size();
    Measure.Comparison changes = Measure.compare("analysis changed 50 KB",
        () -> analyzer.analyze(changed.get(next[0]++ % changed.size()), ChangeRules.NONE, first.hash(), () -> cached, first.bodyHash()),
        () -> MAPPER.writeValueAsString(JsonDiff.asJson(cachedPlain, MAPPER.readTree(changed.get(next[1]++ % changed.size())))),
        settings);
    rows.add(Rounds.higher("analysis: changed 50 KB vs parse + zjsonpatch", "ops/s", changes.rounds(), 0.8,
            method + Rounds.ratios(changes.rounds()) + String.format(Locale.ROOT,
                "; patch of version 1: Seismo %d ops, zjsonpatch %d ops; allocated %.0f vs %.0f KB/op", seismoOps, baselineOps,
                changes.seismoBytesPerOp() / 1024, changes.baselineBytesPerOp() / 1024))
        .sides("10 versions with realistic changes (5 fields, 2 inserts + 1 remove mid-array, a nested object); Seismo: "
            + "DocumentAnalyzer (raw hash, parse, canonical bytes + hash, JsonPatchDiff, patch text); baseline: shared "
            + "ObjectMapper readTree + zjsonpatch JsonDiff + patch text; both get the previous document as a cached tree"));

    // reformatted but equal: the canonical hash says "unchanged" without a diff
    byte[] reformatted = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(MAPPER.readTree(v1));
    Measure.Comparison equal = Measure.compare("analysis reformatted-equal",
        () -> analyzer.analyze(reformatted, ChangeRules.NONE, first.hash(), () -> cached, first.bodyHash()),
        () -> JsonDiff.asJson(cachedPlain, MAPPER.readTree(reformatted)).isEmpty(), settings);
    rows.add(Rounds.higher("analysis: reformatted-equal 50 KB vs parse + zjsonpatch", "ops/s", equal.rounds(), 1.0,
            method + Rounds.ratios(equal.rounds()))
        .sides("the same 50 KB document pretty-printed; Seismo: raw hash, parse, canonical bytes + hash = unchanged; "
            + "baseline: shared ObjectMapper readTree + zjsonpatch diff against the cached previous tree = empty patch"));

    // diff latency on 100 KB documents with realistic change shapes
    JsonPatchDiff differ = new JsonPatchDiff(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);
    JsonNode before = CanonicalJson.parse(Documents.realistic(100_000, 0).getBytes(StandardCharsets.UTF_8)).orElseThrow();
    List<JsonNode> afters = new ArrayList<>();
    for (int version = 1; version <= 10; version++) {
      afters.add(CanonicalJson.parse(Documents.realistic(100_000, version).getBytes(StandardCharsets.UTF_8)).orElseThrow());
    }
    int[] turn = {0};
    Rounds.Side seismoDiff = () -> latencyP99(() -> differ.diff(before, afters.get(turn[0]++ % afters.size())));
    Rounds.Side zjsonDiff = () -> latencyP99(() -> JsonDiff.asJson(before, afters.get(turn[0]++ % afters.size())));
    Progress.step("diff p99 100 KB", "warm-up");
    Measure.run(() -> differ.diff(before, afters.get(turn[0]++ % afters.size())), settings.warmupSeconds(), 1, 0.1);
    Measure.run(() -> JsonDiff.asJson(before, afters.get(turn[0]++ % afters.size())), settings.warmupSeconds(), 1, 0.1);
    List<Row.Round> diffRounds = Rounds.alternate("diff p99 100 KB", 0, settings.rounds(), seismoDiff, zjsonDiff);
    Row.Round median = Rounds.medianBySeismo(diffRounds);
    int diffOps = differ.diff(before, afters.get(0)).size();
    int zjsonOps = JsonDiff.asJson(before, afters.get(0)).size();
    rows.add(Row.lower("diff p99, 100 KB, realistic changes", "ms", median.seismo(), median.baseline(), 5.0,
            String.format(Locale.ROOT, "p99 of each round (Seismo / zjsonpatch): %s; patch of version 1: %d vs %d ops; target is absolute (≤ 5 ms)",
                String.join(" ", diffRounds.stream().map(r -> String.format(Locale.ROOT, "%.2f/%.2f", r.seismo(), r.baseline())).toList()),
                diffOps, zjsonOps))
        .rounds(diffRounds)
        .sides("JsonPatchDiff vs zjsonpatch JsonDiff on the same parsed 100 KB trees, 10 versions with 5 changed fields, "
            + "2 inserts + 1 remove in the middle of a 1,000-element array and a changed nested object"));

    // the large-array guard: first call, budget exceeded
    String[] arrays = Documents.arrays(10_000);
    JsonNode a = CanonicalJson.parse(arrays[0].getBytes(StandardCharsets.UTF_8)).orElseThrow();
    JsonNode b = CanonicalJson.parse(arrays[1].getBytes(StandardCharsets.UTF_8)).orElseThrow();
    long start = System.nanoTime();
    int ops = differ.diff(a, b).size();
    double guarded = (System.nanoTime() - start) / 1e6;
    long baselineStart = System.nanoTime();
    int preciseOps = JsonDiff.asJson(a, b).size();
    double baseline = (System.nanoTime() - baselineStart) / 1e6;
    rows.add(Row.lower("10,000-element array change (first call)", "ms", guarded, baseline, 100.0,
            ops + " op(s) vs zjsonpatch " + preciseOps + " ops; target is absolute (≤ 100 ms, no OOM)")
        .rounds(List.of(new Row.Round(guarded, baseline)))
        .sides("NOT the same precision: Seismo replaces the array whole (" + ops + " op) once n·m exceeds its budget; "
            + "zjsonpatch computes the precise patch (" + preciseOps + " ops); every 7th of 10,000 numbers changed"));
    return rows;
  }

  /** p99 (ms) of the operation run back to back for one round. */
  private double latencyP99(Callable<Object> operation) throws Exception {
    Latencies latencies = new Latencies(1_000_000);
    long end = System.nanoTime() + (long) (settings.roundSeconds() * 1e9);
    Object sink = null;
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      sink = operation.call();
      latencies.add(System.nanoTime() - start);
    }
    if (sink == this) {
      throw new IllegalStateException();
    }
    return latencies.percentileMs(0.99);
  }

  static String hash(byte[] bytes) {
    return ContentHash.of(bytes);
  }
}
