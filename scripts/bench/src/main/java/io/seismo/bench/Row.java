package io.seismo.bench;

/**
 * One line of the table. {@code ratio} is Seismo / baseline; a target is either a ratio (when a
 * baseline was measured) or an absolute bound on Seismo's value (when {@code baseline} is NaN).
 */
record Row(String measure, String unit, double seismo, double baseline, double target, boolean higherIsBetter, String note) {

  static Row higher(String measure, String unit, double seismo, double baseline, double target, String note) {
    return new Row(measure, unit, seismo, baseline, target, true, note);
  }

  static Row lower(String measure, String unit, double seismo, double baseline, double target, String note) {
    return new Row(measure, unit, seismo, baseline, target, false, note);
  }

  double ratio() {
    return Double.isNaN(baseline) ? Double.NaN : seismo / baseline;
  }

  /** Ratio targets for "higher" rows; absolute targets for "lower" rows (latencies, sizes). */
  boolean pass() {
    return higherIsBetter ? ratio() >= target : seismo <= target;
  }
}
