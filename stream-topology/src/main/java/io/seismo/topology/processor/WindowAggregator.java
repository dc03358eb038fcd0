package io.seismo.topology.processor;

import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Measured;
import io.seismo.topology.analysis.MeasuredSums;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.analysis.WindowAggregates;
import io.seismo.topology.store.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Each API's 1 min / 1 h / 1 day {@link ApiMetrics} windows: adds samples to them, emits the windows
 * updated since the last commit once each ({@link #flush}), and emits a window once more, marked
 * final, when it is over ({@link #emitFinal}).
 */
final class WindowAggregator {

  /**
   * How long after its end a window is final (emitted once more with {@code final = true}): samples are
   * stamped when their request started, so a window still takes samples for about the ingest's call
   * timeout (30 s by default) after it ends.
   */
  static final long FINAL_GRACE_MS = 30_000;

  private record WindowKey(String apiId, TimeWindow window, long start) {
    String text() {
      return apiId + "@" + window.label() + "@" + Instant.ofEpochMilli(start);
    }
  }

  private final WindowCache cache;
  private final CachedTable<ApiStatus> statuses;
  private final Emitter emitter;
  private final Map<TimeWindow, WindowStore<String, ApiMetrics>> stores = new EnumMap<>(TimeWindow.class);
  /** Windows updated since the last commit; the output key string is only built when they are emitted. */
  private final Map<WindowKey, ApiMetrics> pending = new LinkedHashMap<>();

  WindowAggregator(WindowCache cache, CachedTable<ApiStatus> statuses, Emitter emitter) {
    this.cache = cache;
    this.statuses = statuses;
    this.emitter = emitter;
  }

  /**
   * Forgets the windows waiting for the next commit — the processor was (re)initialised, its stores
   * restored to their last commit, and the input that updated them will be processed again — and
   * takes the stores.
   */
  void init(ProcessorContext<?, ?> context) {
    pending.clear();
    for (TimeWindow window : TimeWindow.values()) {
      stores.put(window, context.getStateStore(StoreNames.metrics(window)));
    }
  }

  /** Adds a sample and what it measured (either may be null) to the API's windows. */
  void add(String apiId, long at, WindowAggregates.Sample sample, Measured measured, long timestamp) {
    for (Map.Entry<TimeWindow, WindowStore<String, ApiMetrics>> entry : stores.entrySet()) {
      TimeWindow window = entry.getKey();
      long start = window.startOf(at);
      ApiMetrics current = cache.get(apiId, window, start);
      if (current == null) {
        current = entry.getValue().fetch(apiId, start);
        if (current == null) {
          finish(apiId, window, start - window.size().toMillis(), timestamp); // a new window: the one before is done
        }
      }
      ApiMetrics updated = current == null ? WindowAggregates.empty(apiId, window, start) : current;
      if (sample != null) {
        WindowAggregates.add(updated, sample);
      }
      if (measured != null) {
        MeasuredSums.addTo(updated.getMeasured(), measured);
      }
      entry.getValue().put(apiId, updated, start);
      cache.put(apiId, window, start, updated);
      pending.put(new WindowKey(apiId, window, start), updated);
    }
  }

  /**
   * Emits the windows updated since the last commit, once each, so a busy API costs one record per
   * window per commit instead of three per sample. Runs as the stores flush before each commit, so every
   * window on the output topic equals what the stores commit with it.
   */
  void flush(long now) {
    pending.forEach((key, metrics) -> emitter.emit(Sinks.METRICS, key.text(), metrics, now));
    pending.clear();
  }

  /**
   * Emits, once more and marked {@code final}, each API's latest window whose end is more than
   * {@link #FINAL_GRACE_MS} past (the window before a new one is finished when the new one starts, see
   * {@link #add}). The stored window is marked final too, so it is emitted as final once; a sample
   * arriving later still updates it and the window goes out again, still final, with that sample.
   */
  void emitFinal(long now) {
    List<String> apis = new ArrayList<>();
    try (KeyValueIterator<String, ApiStatus> all = statuses.all()) {
      all.forEachRemaining(entry -> {
        if (entry.value.getLastSampleAt() != null) {
          apis.add(entry.key);
        }
      });
    }
    for (String apiId : apis) {
      ApiStatus status = statuses.get(apiId);
      for (TimeWindow window : TimeWindow.values()) {
        long start = window.startOf(status.getLastSampleAt());
        if (start + window.size().toMillis() + FINAL_GRACE_MS <= now) {
          finish(apiId, window, start, now);
        }
      }
    }
  }

  /** Marks the window final and emits it, unless it is absent or already final. */
  private void finish(String apiId, TimeWindow window, long start, long timestamp) {
    ApiMetrics metrics = cache.get(apiId, window, start);
    if (metrics == null) {
      metrics = stores.get(window).fetch(apiId, start);
    }
    if (metrics == null || metrics.getFinal$()) {
      return;
    }
    metrics.setFinal$(true);
    stores.get(window).put(apiId, metrics, start);
    if (cache.get(apiId, window, start) != null) {
      cache.put(apiId, window, start, metrics);
    }
    WindowKey key = new WindowKey(apiId, window, start);
    pending.remove(key); // this record supersedes the pending one
    emitter.emit(Sinks.METRICS, key.text(), metrics, timestamp);
  }
}
