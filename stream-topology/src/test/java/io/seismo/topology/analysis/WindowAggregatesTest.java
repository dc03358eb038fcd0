package io.seismo.topology.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.SampleError;
import java.nio.ByteBuffer;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class WindowAggregatesTest {

  private static final TransferCost.Cost COST = new TransferCost.Cost(100, 60, 10);

  @Test
  void shouldCountSamplesSizesChangesLatencyErrorsAndBytes() {
    ApiMetrics window = WindowAggregates.empty("api", TimeWindow.ONE_MINUTE, 60_000);
    WindowAggregates.add(window, new WindowAggregates.Sample(true, false, true, null, 300, 20L, 5_000L, COST));
    WindowAggregates.add(window, new WindowAggregates.Sample(true, false, false, null, 100, 40L, null, COST));
    WindowAggregates.add(window, new WindowAggregates.Sample(false, false, false,
        new SampleError(ErrorCategory.TIMEOUT, "slow"), 0, 900L, null, COST));

    assertThat(window.getSamples()).isEqualTo(3);
    assertThat(window.getPayloads()).isEqualTo(2);
    assertThat(window.getSizeMin()).isEqualTo(100);
    assertThat(window.getSizeMax()).isEqualTo(300);
    assertThat(window.getChanges()).isEqualTo(1);
    assertThat(window.getChangeIntervalMaxMs()).isEqualTo(5_000);
    assertThat(window.getLatencyCount()).isEqualTo(3);
    assertThat(window.getLatencyMaxMs()).isEqualTo(900);
    assertThat(window.getErrorsByCategory()).containsEntry("TIMEOUT", 1L);
    assertThat(window.getBytesPolled()).isEqualTo(300);
    assertThat(window.getBytesStreamed()).isEqualTo(30);
  }

  @Test
  void shouldLeaveTheAggregateWholeWhenASampleCannotBeAdded() {
    ApiMetrics window = WindowAggregates.empty("api", TimeWindow.ONE_MINUTE, 60_000);
    WindowAggregates.add(window, new WindowAggregates.Sample(true, false, false, null, 300, 20L, null, COST));
    window.setLatencySketch(ByteBuffer.wrap(new byte[] {(byte) 0x85})); // a varint cut short

    assertThatThrownBy(() -> WindowAggregates.add(window,
        new WindowAggregates.Sample(true, false, true, null, 300, 20L, 1_000L, COST))).isInstanceOf(RuntimeException.class);

    assertThat(window.getSamples()).as("not counted half").isEqualTo(1);
    assertThat(window.getChanges()).isZero();
    assertThat(window.getBytesPolled()).isEqualTo(100);
  }

  @Test
  void shouldCarryPlainLatencyPercentilesWhenSamplesHaveLatencies() {
    ApiMetrics window = WindowAggregates.empty("api", TimeWindow.ONE_MINUTE, 60_000);
    assertThat(window.getLatencyP50Ms()).as("no latency yet").isNull();
    for (long latency = 1; latency <= 100; latency++) {
      WindowAggregates.add(window, new WindowAggregates.Sample(true, false, false, null, 10, latency, null, COST));
    }

    assertThat(window.getLatencyP50Ms()).isEqualTo(LatencySketch.quantile(window.getLatencySketch(), 0.50));
    assertThat(window.getLatencyP95Ms()).isEqualTo(LatencySketch.quantile(window.getLatencySketch(), 0.95));
    assertThat(window.getLatencyP99Ms()).isEqualTo(LatencySketch.quantile(window.getLatencySketch(), 0.99));
    assertThat(window.getLatencyP50Ms()).isCloseTo(50.0, Percentage.withPercentage(2));
    assertThat(window.getLatencyP99Ms()).isCloseTo(99.0, Percentage.withPercentage(2));
  }
}
