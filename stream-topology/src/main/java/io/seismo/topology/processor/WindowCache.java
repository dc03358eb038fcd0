package io.seismo.topology.processor;

import io.seismo.schemas.ApiMetrics;
import io.seismo.topology.analysis.TimeWindow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current window aggregate of each API and window size, as objects, so that a sample updates it
 * without reading and decoding it back from the window store first (measured: the window fetches were
 * the largest cost per sample). Only the analysis processors of one task write the window stores, and
 * they share one cache ({@link AnalysisRouter}); it is cleared whenever they are initialised, which
 * Kafka Streams does after restoring the stores (e.g. after an exactly-once abort), so it never holds
 * a value the store does not. Bounded: least recently used entries are dropped.
 */
final class WindowCache {

  private static final int MAX_ENTRIES = 30_000;

  private record Key(String apiId, TimeWindow window) {}

  private record Current(long start, ApiMetrics metrics) {}

  private final Map<Key, Current> entries = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Current> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** The cached aggregate of the window starting at {@code start}, or null. */
  ApiMetrics get(String apiId, TimeWindow window, long start) {
    Current entry = entries.get(new Key(apiId, window));
    return entry != null && entry.start() == start ? entry.metrics() : null;
  }

  void put(String apiId, TimeWindow window, long start, ApiMetrics metrics) {
    entries.put(new Key(apiId, window), new Current(start, metrics));
  }

  void clear() {
    entries.clear();
  }
}
