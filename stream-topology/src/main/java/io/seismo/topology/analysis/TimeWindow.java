package io.seismo.topology.analysis;

import java.time.Duration;

/** The tumbling windows Seismo aggregates over, with how long each is kept. */
public enum TimeWindow {
  ONE_MINUTE("1m", Duration.ofMinutes(1), Duration.ofDays(2)),
  ONE_HOUR("1h", Duration.ofHours(1), Duration.ofDays(60)),
  ONE_DAY("1d", Duration.ofDays(1), Duration.ofDays(800));

  private final String label;
  private final Duration size;
  private final Duration retention;

  TimeWindow(String label, Duration size, Duration retention) {
    this.label = label;
    this.size = size;
    this.retention = retention;
  }

  public String label() {
    return label;
  }

  public Duration size() {
    return size;
  }

  public Duration retention() {
    return retention;
  }

  /** Start of the window holding {@code epochMillis}. */
  public long startOf(long epochMillis) {
    return Math.floorDiv(epochMillis, size.toMillis()) * size.toMillis();
  }

  public static TimeWindow parse(String label) {
    for (TimeWindow window : values()) {
      if (window.label.equals(label)) {
        return window;
      }
    }
    throw new IllegalArgumentException("unknown window '" + label + "'; expected 1m, 1h or 1d");
  }
}
