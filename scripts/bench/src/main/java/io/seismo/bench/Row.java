package io.seismo.bench;

import java.util.List;

/**
 * One line of the table. {@code ratio} is Seismo / baseline; a target is either a ratio (when a
 * baseline was measured) or an absolute bound on Seismo's value (when {@code baseline} is NaN).
 *
 * <p>{@code sides} says in one line what both sides do (so that a reader can judge the fairness without
 * opening the code), {@code rounds} holds every measured round, and {@code failure} — when not null —
 * fails the row whatever the numbers (a worker threw, a request failed) and says why.
 */
record Row(String measure, String unit, double seismo, double baseline, double target, boolean higherIsBetter,
           String note, String sides, List<Round> rounds, String failure) {

  /** One measured round: Seismo's value and the baseline's (NaN without a baseline). */
  record Round(double seismo, double baseline) {

    double ratio() {
      return seismo / baseline;
    }
  }

  static Row higher(String measure, String unit, double seismo, double baseline, double target, String note) {
    return new Row(measure, unit, seismo, baseline, target, true, note, "", List.of(), null);
  }

  static Row lower(String measure, String unit, double seismo, double baseline, double target, String note) {
    return new Row(measure, unit, seismo, baseline, target, false, note, "", List.of(), null);
  }

  Row sides(String whatBothSidesDo) {
    return new Row(measure, unit, seismo, baseline, target, higherIsBetter, note, whatBothSidesDo, rounds, failure);
  }

  Row rounds(List<Round> measured) {
    return new Row(measure, unit, seismo, baseline, target, higherIsBetter, note, sides, List.copyOf(measured), failure);
  }

  Row failure(String reason) {
    return new Row(measure, unit, seismo, baseline, target, higherIsBetter, note, sides, rounds,
        failure == null ? reason : failure + "; " + reason);
  }

  double ratio() {
    return Double.isNaN(baseline) ? Double.NaN : seismo / baseline;
  }

  /** Ratio targets for "higher" rows; absolute targets for "lower" rows (latencies, sizes). */
  boolean pass() {
    if (failure != null || Double.isNaN(seismo)) {
      return false;
    }
    return higherIsBetter ? ratio() >= target : seismo <= target;
  }
}
