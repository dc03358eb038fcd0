package io.seismo.bench;

import java.util.Arrays;

/** Percentiles of recorded durations (nanoseconds). */
final class Latencies {

  private final long[] values;
  private int size;

  Latencies(int capacity) {
    values = new long[capacity];
  }

  synchronized void add(long nanos) {
    if (size < values.length) {
      values[size++] = nanos;
    }
  }

  synchronized int count() {
    return size;
  }

  synchronized double percentileMs(double p) {
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
