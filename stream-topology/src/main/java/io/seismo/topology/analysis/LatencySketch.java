package io.seismo.topology.analysis;

import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable latency sketch with 1% relative accuracy (the DDSketch idea): a value v > 0 falls in
 * bucket ⌈log_γ v⌉ with γ = 1.01 / 0.99, and a quantile is read back as the bucket's midpoint. The
 * buckets are a sparse map (bucket index as text → count) so that it fits an Avro map; sketches of two
 * windows merge by adding counts. Values ≤ 0 share bucket "0".
 */
public final class LatencySketch {

  private static final double ALPHA = 0.01;
  private static final double GAMMA = (1 + ALPHA) / (1 - ALPHA);
  private static final double LOG_GAMMA = Math.log(GAMMA);
  private static final String ZERO = "0";

  private LatencySketch() {}

  /** Adds one value to {@code buckets} (mutated). */
  public static void add(Map<String, Long> buckets, long value) {
    String key = value <= 0 ? ZERO : Integer.toString((int) Math.ceil(Math.log(value) / LOG_GAMMA) + 1);
    buckets.merge(key, 1L, Long::sum);
  }

  /** Adds every count of {@code other} to {@code into} (mutated). */
  public static void merge(Map<String, Long> into, Map<String, Long> other) {
    other.forEach((key, count) -> into.merge(key, count, Long::sum));
  }

  /** The {@code q}-quantile (0 ≤ q ≤ 1), or {@code null} for an empty sketch. */
  public static Double quantile(Map<String, Long> buckets, double q) {
    TreeMap<Integer, Long> sorted = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, Long> entry : buckets.entrySet()) {
      sorted.merge(Integer.parseInt(entry.getKey()), entry.getValue(), Long::sum);
      total += entry.getValue();
    }
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.floor(q * (total - 1)) + 1;
    long seen = 0;
    for (Map.Entry<Integer, Long> entry : sorted.entrySet()) {
      seen += entry.getValue();
      if (seen >= rank) {
        int index = entry.getKey();
        return index == 0 ? 0.0 : 2 * Math.pow(GAMMA, index - 1) / (GAMMA + 1);
      }
    }
    throw new IllegalStateException("unreachable: rank " + rank + " beyond " + total);
  }
}
