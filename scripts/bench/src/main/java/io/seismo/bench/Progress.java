package io.seismo.bench;

import java.util.Locale;

/** Progress lines on stderr while the benchmark runs (which row, which round, its numbers), with the elapsed time. */
final class Progress {

  private static final long STARTED = System.nanoTime();

  private Progress() {}

  static void group(String name) {
    print("== " + name);
  }

  static void step(String row, String what) {
    print(row + ": " + what + " …");
  }

  static void round(String row, String what, double seismo, double baseline) {
    print(String.format(Locale.ROOT, "%s: %s: Seismo %s, baseline %s%s", row, what, number(seismo), number(baseline),
        Double.isNaN(baseline) || Double.isNaN(seismo) ? "" : String.format(Locale.ROOT, " (%.2fx)", seismo / baseline)));
  }

  static void note(String row, String text) {
    print(row + ": " + text);
  }

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
  }

  private static synchronized void print(String line) {
    System.err.printf(Locale.ROOT, "[%5.0fs] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
    System.err.flush();
  }
}
