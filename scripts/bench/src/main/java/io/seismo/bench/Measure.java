package io.seismo.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A small, honest timing harness: warm-up, then several timed rounds of a fixed duration; reports the
 * median throughput and the bytes allocated per operation (com.sun.management.ThreadMXBean). The
 * baseline is measured in the same run, with the same harness, right after Seismo's code.
 */
final class Measure {

  private static final ThreadMXBean THREADS =
      (ThreadMXBean) ManagementFactory.getThreadMXBean();

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

  /** Seismo and baseline of one row, each side's operation timed in alternating rounds. */
  record Comparison(List<Row.Round> rounds, double seismoBytesPerOp, double baselineBytesPerOp) {}

  /**
   * Warm-up of both operations, then {@code settings.rounds()} rounds that alternate which goes first;
   * each round times each side for {@code roundSeconds} and records its ops/s (printed as it goes).
   */
  static Comparison compare(String row, Callable<Object> seismo, Callable<Object> baseline, Settings settings)
      throws Exception {
    Progress.step(row, "warm-up");
    run(seismo, settings.warmupSeconds(), 1, settings.roundSeconds());
    run(baseline, settings.warmupSeconds(), 1, settings.roundSeconds());
    List<Double> seismoBytes = new ArrayList<>();
    List<Double> baselineBytes = new ArrayList<>();
    List<Row.Round> rounds = Rounds.alternate(row, 0, settings.rounds(), () -> {
      Result result = run(seismo, 0, 1, settings.roundSeconds());
      seismoBytes.add(result.bytesPerOp());
      return result.opsPerSecond();
    }, () -> {
      Result result = run(baseline, 0, 1, settings.roundSeconds());
      baselineBytes.add(result.bytesPerOp());
      return result.opsPerSecond();
    });
    return new Comparison(rounds, median(seismoBytes.stream().mapToDouble(Double::doubleValue).toArray()),
        median(baselineBytes.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
