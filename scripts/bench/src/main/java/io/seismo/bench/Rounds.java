package io.seismo.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Seismo against its baseline in alternating rounds: warm-up rounds first (not counted: both sides'
 * code compiled before either is timed), then rounds that alternate which side goes first (the
 * speed of a shared 2-core machine drifts over a few seconds). The row reports the round with the
 * median ratio; every round is kept and printed. Progress goes to stderr as each round ends.
 */
final class Rounds {

  private Rounds() {}

  /** A side's measurement of one round; higher or lower is better as the row says. */
  interface Side {
    double measure() throws Exception;
  }

  static List<Row.Round> alternate(String row, int warmups, int rounds, Side seismo, Side baseline) throws Exception {
    for (int w = 0; w < warmups; w++) {
      Progress.step(row, "warm-up " + (w + 1) + "/" + warmups);
      double s = seismo.measure();
      double b = baseline.measure();
      Progress.round(row, "warm-up " + (w + 1) + "/" + warmups, s, b);
    }
    List<Row.Round> measured = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      Progress.step(row, "round " + (r + 1) + "/" + rounds);
      double s;
      double b;
      if (r % 2 == 0) {
        s = seismo.measure();
        b = baseline.measure();
      } else {
        b = baseline.measure();
        s = seismo.measure();
      }
      Progress.round(row, "round " + (r + 1) + "/" + rounds, s, b);
      measured.add(new Row.Round(s, b));
    }
    return measured;
  }

  /** Rounds of one side only (absolute targets). */
  static List<Row.Round> single(String row, int warmups, int rounds, Side seismo) throws Exception {
    for (int w = 0; w < warmups; w++) {
      Progress.step(row, "warm-up " + (w + 1) + "/" + warmups);
      Progress.round(row, "warm-up " + (w + 1) + "/" + warmups, seismo.measure(), Double.NaN);
    }
    List<Row.Round> measured = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      Progress.step(row, "round " + (r + 1) + "/" + rounds);
      double s = seismo.measure();
      Progress.round(row, "round " + (r + 1) + "/" + rounds, s, Double.NaN);
      measured.add(new Row.Round(s, Double.NaN));
    }
    return measured;
  }

  /** The round with the median ratio (the lower middle one of an even count). */
  static Row.Round medianByRatio(List<Row.Round> rounds) {
    List<Row.Round> sorted = new ArrayList<>(rounds);
    sorted.sort(Comparator.comparingDouble(Row.Round::ratio));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** The round with the median Seismo value (rows without a baseline). */
  static Row.Round medianBySeismo(List<Row.Round> rounds) {
    List<Row.Round> sorted = new ArrayList<>(rounds);
    sorted.sort(Comparator.comparingDouble(Row.Round::seismo));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** A "higher is better" ratio row from alternating rounds. */
  static Row higher(String measure, String unit, List<Row.Round> rounds, double target, String note) {
    Row.Round median = medianByRatio(rounds);
    return Row.higher(measure, unit, median.seismo(), median.baseline(), target, note).rounds(rounds);
  }

  static String ratios(List<Row.Round> rounds) {
    return String.join(" ", rounds.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.ratio())).toList());
  }

  /** Runs a side, turning a failure into NaN (the row then fails) after reporting it. */
  static double orNaN(String row, Callable<Double> side) {
    try {
      return side.call();
    } catch (Exception e) {
      Progress.note(row, "failed: " + e);
      return Double.NaN;
    }
  }
}
