package io.seismo.topology.analysis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable latency sketch with 1% relative accuracy (the DDSketch idea): a value v ≥ 1 falls in
 * bucket ⌈log_γ v⌉ + 1 with γ = 1.01 / 0.99, values ≤ 0 in bucket 0, and a quantile is read back as
 * its bucket's midpoint. Sketches of two windows merge by adding counts.
 *
 * <p>Stored compactly as bytes — pairs of varints (bucket index delta, count), in index order — so a
 * window aggregate updated on every sample costs a few dozen bytes to rewrite, not a map of strings.
 */
public final class LatencySketch {

  private static final double ALPHA = 0.01;
  private static final double GAMMA = (1 + ALPHA) / (1 - ALPHA);
  private static final double LOG_GAMMA = Math.log(GAMMA);
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private LatencySketch() {}

  public static ByteBuffer empty() {
    return EMPTY.duplicate();
  }

  /**
   * The sketch with one more value. Called for every sample of every window, so it rewrites the
   * encoded pairs in one pass (no map, no boxing): the value's bucket is counted up, or inserted.
   */
  public static ByteBuffer add(ByteBuffer sketch, long value) {
    int target = bucket(value);
    ByteBuffer in = sketch == null ? EMPTY.duplicate() : sketch.duplicate();
    byte[] out = new byte[in.remaining() + 2 * MAX_VARINT_BYTES];
    int length = 0;
    int previous = 0;
    int index = 0;
    boolean added = false;
    while (in.hasRemaining()) {
      index += (int) readVarint(in);
      long count = readVarint(in);
      if (!added && index >= target) {
        if (index == target) {
          count++;
        } else {
          length = writeVarint(out, length, target - previous);
          length = writeVarint(out, length, 1);
          previous = target;
        }
        added = true;
      }
      length = writeVarint(out, length, index - previous);
      length = writeVarint(out, length, count);
      previous = index;
    }
    if (!added) {
      length = writeVarint(out, length, target - previous);
      length = writeVarint(out, length, 1);
    }
    return ByteBuffer.wrap(out, 0, length).slice();
  }

  private static final int MAX_VARINT_BYTES = 10;

  private static int writeVarint(byte[] out, int at, long value) {
    while ((value & ~0x7FL) != 0) {
      out[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }

  /** The sketch of both sketches' values. */
  public static ByteBuffer merge(ByteBuffer a, ByteBuffer b) {
    TreeMap<Integer, Long> buckets = decode(a);
    decode(b).forEach((index, count) -> buckets.merge(index, count, Long::sum));
    return encode(buckets);
  }

  public static long count(ByteBuffer sketch) {
    return decode(sketch).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The {@code q}-quantile (0 ≤ q ≤ 1), or {@code null} for an empty sketch. */
  public static Double quantile(ByteBuffer sketch, double q) {
    TreeMap<Integer, Long> buckets = decode(sketch);
    long total = buckets.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return null;
    }
    long rank = (long) Math.floor(q * (total - 1)) + 1;
    long seen = 0;
    for (Map.Entry<Integer, Long> entry : buckets.entrySet()) {
      seen += entry.getValue();
      if (seen >= rank) {
        int index = entry.getKey();
        return index == 0 ? 0.0 : 2 * Math.pow(GAMMA, index - 1) / (GAMMA + 1);
      }
    }
    throw new IllegalStateException("unreachable: rank " + rank + " beyond " + total);
  }

  /**
   * Several quantiles in one pass over the encoded sketch ({@code qs} ascending, each 0 ≤ q ≤ 1); the
   * same values as {@link #quantile} for each, {@code null}s for an empty sketch. Cheap enough to run
   * on every sample: no map, no boxing of buckets.
   */
  public static Double[] quantiles(ByteBuffer sketch, double... qs) {
    Double[] result = new Double[qs.length];
    if (sketch == null) {
      return result;
    }
    long total = 0;
    ByteBuffer in = sketch.duplicate();
    while (in.hasRemaining()) {
      readVarint(in);
      total += readVarint(in);
    }
    if (total == 0) {
      return result;
    }
    in = sketch.duplicate();
    int index = 0;
    long seen = 0;
    int next = 0;
    while (in.hasRemaining() && next < qs.length) {
      index += (int) readVarint(in);
      seen += readVarint(in);
      while (next < qs.length && seen >= (long) Math.floor(qs[next] * (total - 1)) + 1) {
        result[next++] = index == 0 ? 0.0 : 2 * Math.pow(GAMMA, index - 1) / (GAMMA + 1);
      }
    }
    return result;
  }

  static int bucket(long value) {
    return value <= 0 ? 0 : (int) Math.ceil(Math.log(value) / LOG_GAMMA) + 1;
  }

  static TreeMap<Integer, Long> decode(ByteBuffer sketch) {
    TreeMap<Integer, Long> buckets = new TreeMap<>();
    if (sketch == null) {
      return buckets;
    }
    ByteBuffer in = sketch.duplicate();
    int index = 0;
    while (in.hasRemaining()) {
      index += (int) readVarint(in);
      buckets.put(index, readVarint(in));
    }
    return buckets;
  }

  static ByteBuffer encode(TreeMap<Integer, Long> buckets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(buckets.size() * 3);
    int previous = 0;
    for (Map.Entry<Integer, Long> entry : buckets.entrySet()) {
      writeVarint(out, entry.getKey() - previous);
      writeVarint(out, entry.getValue());
      previous = entry.getKey();
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static long readVarint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("malformed latency sketch");
  }
}
