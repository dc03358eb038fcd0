package io.seismo.topology.analysis;

import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.SampleError;
import java.nio.ByteBuffer;
import java.util.HashMap;

/** Adds one sample to the aggregate of a window. Pure: no Kafka, no clocks. */
public final class WindowAggregates {

  private WindowAggregates() {}

  /** One sample, reduced to what the window aggregates need; {@code latencyMs} is null for streamed events. */
  public record Sample(boolean payload, boolean notModified, boolean changed, SampleError error, long size,
                       Long latencyMs, Long changeIntervalMs, TransferCost.Cost cost) {}

  public static ApiMetrics empty(String apiId, TimeWindow window, long start) {
    return ApiMetrics.newBuilder()
        .setApiId(apiId)
        .setWindow(window.label())
        .setWindowStart(start)
        .setWindowEnd(start + window.size().toMillis())
        .setErrorsByCategory(new HashMap<>())
        .setLatencySketch(LatencySketch.empty())
        .build();
  }

  /**
   * Adds the sample to {@code metrics} (changed in place) and returns it. What can fail (decoding the
   * stored latency sketch) is done before the first change, so a failure leaves the aggregate whole.
   */
  public static ApiMetrics add(ApiMetrics metrics, Sample sample) {
    ByteBuffer sketch = sample.latencyMs() == null ? metrics.getLatencySketch()
        : LatencySketch.add(metrics.getLatencySketch(), sample.latencyMs());
    metrics.setSamples(metrics.getSamples() + 1);
    if (sample.notModified()) {
      metrics.setNotModified(metrics.getNotModified() + 1);
    }
    if (sample.error() != null) {
      metrics.setErrors(metrics.getErrors() + 1);
      metrics.getErrorsByCategory().merge(sample.error().getCategory().name(), 1L, Long::sum);
    }
    if (sample.payload()) {
      long size = sample.size();
      metrics.setSizeMin(metrics.getPayloads() == 0 ? size : Math.min(metrics.getSizeMin(), size));
      metrics.setSizeMax(Math.max(metrics.getSizeMax(), size));
      metrics.setSizeSum(metrics.getSizeSum() + size);
      metrics.setPayloads(metrics.getPayloads() + 1);
    }
    if (sample.changed()) {
      metrics.setChanges(metrics.getChanges() + 1);
      if (sample.changeIntervalMs() != null) {
        metrics.setChangeIntervalCount(metrics.getChangeIntervalCount() + 1);
        metrics.setChangeIntervalSumMs(metrics.getChangeIntervalSumMs() + sample.changeIntervalMs());
        metrics.setChangeIntervalMaxMs(Math.max(metrics.getChangeIntervalMaxMs(), sample.changeIntervalMs()));
      }
    }
    if (sample.latencyMs() != null) {
      metrics.setLatencyCount(metrics.getLatencyCount() + 1);
      metrics.setLatencySumMs(metrics.getLatencySumMs() + sample.latencyMs());
      metrics.setLatencyMaxMs(Math.max(metrics.getLatencyMaxMs(), sample.latencyMs()));
      metrics.setLatencySketch(sketch);
      Double[] percentiles = LatencySketch.quantiles(sketch, 0.50, 0.95, 0.99);
      metrics.setLatencyP50Ms(percentiles[0]);
      metrics.setLatencyP95Ms(percentiles[1]);
      metrics.setLatencyP99Ms(percentiles[2]);
    }
    metrics.setBytesPolled(metrics.getBytesPolled() + sample.cost().polled());
    metrics.setBytesConditional(metrics.getBytesConditional() + sample.cost().conditional());
    metrics.setBytesStreamed(metrics.getBytesStreamed() + sample.cost().streamed());
    return metrics;
  }
}
