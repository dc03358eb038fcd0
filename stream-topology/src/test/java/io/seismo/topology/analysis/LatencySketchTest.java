package io.seismo.topology.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

  @Test
  void shouldAnswerQuantilesWithinOnePercentWhenValuesAreSpread() {
    Map<String, Long> sketch = new HashMap<>();
    LongStream.rangeClosed(1, 10_000).forEach(v -> LatencySketch.add(sketch, v));

    assertThat(LatencySketch.quantile(sketch, 0.5)).isCloseTo(5_000, within(5_000 * 0.011));
    assertThat(LatencySketch.quantile(sketch, 0.99)).isCloseTo(9_900, within(9_900 * 0.011));
    assertThat(LatencySketch.quantile(sketch, 1.0)).isCloseTo(10_000, within(10_000 * 0.011));
    assertThat(sketch.size()).isLessThan(500);
  }

  @Test
  void shouldEqualOneSketchOfAllValuesWhenMerged() {
    Random random = new Random(7);
    Map<String, Long> a = new HashMap<>();
    Map<String, Long> b = new HashMap<>();
    Map<String, Long> all = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      long v = (long) Math.abs(random.nextGaussian() * 200) + 1;
      LatencySketch.add(i % 2 == 0 ? a : b, v);
      LatencySketch.add(all, v);
    }

    LatencySketch.merge(a, b);

    assertThat(a).isEqualTo(all);
    assertThat(LatencySketch.quantile(a, 0.95)).isEqualTo(LatencySketch.quantile(all, 0.95));
  }

  @Test
  void shouldHandleZeroAndEmpty() {
    Map<String, Long> sketch = new HashMap<>();
    assertThat(LatencySketch.quantile(sketch, 0.5)).isNull();
    LatencySketch.add(sketch, 0);
    assertThat(LatencySketch.quantile(sketch, 0.5)).isZero();
  }
}
