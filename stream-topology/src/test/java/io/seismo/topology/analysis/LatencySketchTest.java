package io.seismo.topology.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

  @Test
  void shouldEncodeExactlyAsTheMapWhenValuesAreAddedOneByOne() {
    Random random = new Random(7);
    ByteBuffer sketch = LatencySketch.empty();
    TreeMap<Integer, Long> reference = new TreeMap<>();
    for (int i = 0; i < 20_000; i++) {
      long value = switch (i % 4) {
        case 0 -> random.nextInt(50);
        case 1 -> 1 + random.nextInt(5_000);
        case 2 -> random.nextInt(3) - 1; // zero and negatives share bucket 0
        default -> (long) (Math.exp(random.nextDouble() * 20)); // up to ~5e8 ms: large indexes and counts
      };
      sketch = LatencySketch.add(sketch, value);
      reference.merge(LatencySketch.bucket(value), 1L, Long::sum);
    }
    assertThat(LatencySketch.decode(sketch)).isEqualTo(reference);
    assertThat(sketch).isEqualTo(LatencySketch.encode(reference));
  }

  @Test
  void shouldAnswerQuantilesWithinOnePercentWhenValuesAreSpread() {
    ByteBuffer sketch = LatencySketch.empty();
    for (long v = 1; v <= 10_000; v++) {
      sketch = LatencySketch.add(sketch, v);
    }

    assertThat(LatencySketch.quantile(sketch, 0.5)).isCloseTo(5_000, within(5_000 * 0.011));
    assertThat(LatencySketch.quantile(sketch, 0.99)).isCloseTo(9_900, within(9_900 * 0.011));
    assertThat(LatencySketch.quantile(sketch, 1.0)).isCloseTo(10_000, within(10_000 * 0.011));
    assertThat(LatencySketch.count(sketch)).isEqualTo(10_000);
    assertThat(sketch.remaining()).as("bytes for 10,000 values").isLessThan(1_500);
  }

  @Test
  void shouldEqualOneSketchOfAllValuesWhenMerged() {
    Random random = new Random(7);
    ByteBuffer a = LatencySketch.empty();
    ByteBuffer b = LatencySketch.empty();
    ByteBuffer all = LatencySketch.empty();
    for (int i = 0; i < 5_000; i++) {
      long v = (long) Math.abs(random.nextGaussian() * 200) + 1;
      if (i % 2 == 0) {
        a = LatencySketch.add(a, v);
      } else {
        b = LatencySketch.add(b, v);
      }
      all = LatencySketch.add(all, v);
    }

    ByteBuffer merged = LatencySketch.merge(a, b);

    assertThat(merged).isEqualTo(all);
    assertThat(LatencySketch.quantile(merged, 0.95)).isEqualTo(LatencySketch.quantile(all, 0.95));
  }

  @Test
  void shouldHandleZeroAndEmpty() {
    assertThat(LatencySketch.quantile(LatencySketch.empty(), 0.5)).isNull();
    assertThat(LatencySketch.quantile(LatencySketch.add(LatencySketch.empty(), 0), 0.5)).isZero();
  }
}
