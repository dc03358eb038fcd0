package io.seismo.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * A small, honest timing harness: warm-up, then several timed rounds of a fixed duration; reports the
 * median throughput and the bytes allocated per operation (com.sun.management.ThreadMXBean). The
 * baseline is measured in the same run, with the same harness, right after Seismo's code.
 */
final class Measure {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  record Result(double opsPerSecond, double bytesPerOp) {}

  /** Warm-up and measurement durations. */
  record Settings(double warmupSeconds, int rounds, double roundSeconds) {}

  static Result run(Callable<Object> operation, Settings settings) throws Exception {
    return run(operation, settings.warmupSeconds(), settings.rounds(), settings.roundSeconds());
  }

  private Measure() {}

  static Result run(Callable<Object> operation, double warmupSeconds, int rounds, double roundSeconds) throws Exception {
    Object sink = null;
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    while (System.nanoTime() < warmupEnd) {
      sink = operation.call();
    }
    double[] throughputs = new double[rounds];
    double[] allocations = new double[rounds];
    long thread = Thread.currentThread().threadId();
    for (int r = 0; r < rounds; r++) {
      long ops = 0;
      long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
      long start = System.nanoTime();
      long end = start + (long) (roundSeconds * 1e9);
      long now;
      do {
        sink = operation.call();
        ops++;
        now = System.nanoTime();
      } while (now < end);
      throughputs[r] = ops / ((now - start) / 1e9);
      allocations[r] = (THREADS.getThreadAllocatedBytes(thread) - allocatedBefore) / (double) ops;
    }
    if (sink == Measure.class) {
      System.out.print(""); // keep results alive
    }
    return new Result(median(throughputs), median(allocations));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
