package io.seismo.topology.processor;

import io.seismo.schemas.FieldChanges;
import io.seismo.schemas.FieldFrequency;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.change.FieldTable;
import io.seismo.topology.store.ShallowCopy;
import io.seismo.topology.store.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Per-field change frequency: counts each analysed payload, and the normalised paths its patch changed,
 * in the API's 1 min / 1 h / 1 day {@link FieldFrequency} windows (bounded, see {@link FieldTable}),
 * kept in write-behind window stores ({@link StoreNames#fields}). The windows updated since the last
 * commit go to {@code seismo.field-changes} from the stores' flush before the commit, like the metrics,
 * so the topic holds what the stores commit. One per {@link AnalysisRouter}, shared by the poll and SSE
 * analyses (an API in BOTH mode counts in the same windows).
 */
final class FieldFrequencyRecorder {

  private record Key(String apiId, TimeWindow window, long start) {
    String text() {
      return apiId + "@" + window.label() + "@" + Instant.ofEpochMilli(start);
    }
  }

  private final Map<TimeWindow, WindowStore<String, FieldFrequency>> stores = new EnumMap<>(TimeWindow.class);
  private final Map<Key, FieldFrequency> pending = new LinkedHashMap<>();
  private final Emitter emitter = new Emitter();

  void init(ProcessorContext<String, Object> context) {
    emitter.init(context);
    pending.clear(); // (re)initialised: the stores were restored, their input will be processed again
    for (TimeWindow window : TimeWindow.values()) {
      stores.put(window, context.getStateStore(StoreNames.fields(window)));
    }
    emitter.atCommit(StoreNames.fields(TimeWindow.ONE_MINUTE), this::flush);
  }

  /** Counts one analysed payload of {@code apiId} sampled at {@code at} (epoch ms). */
  void record(String apiId, long at, DocumentAnalyzer.Analysis analysis) {
    for (Map.Entry<TimeWindow, WindowStore<String, FieldFrequency>> entry : stores.entrySet()) {
      TimeWindow window = entry.getKey();
      long start = window.startOf(at);
      FieldFrequency current = entry.getValue().fetch(apiId, start);
      FieldFrequency updated = current == null
          ? FieldTable.empty(apiId, window.label(), start, start + window.size().toMillis())
          : copy(current); // never change a value a store or a cache holds
      FieldTable.add(updated, at, analysis.json(), analysis.changed(), analysis.changedPaths());
      entry.getValue().put(apiId, updated, start);
      pending.put(new Key(apiId, window, start), updated);
    }
  }

  /**
   * A copy of {@code frequency} that {@code FieldTable.add} may change: its own path table of its own
   * entries (the only mutable values it holds), the rest shared — the builder's deep copy costs far more.
   */
  private static FieldFrequency copy(FieldFrequency frequency) {
    FieldFrequency copy = ShallowCopy.of(frequency, FieldFrequency::new);
    List<FieldChanges> paths = new ArrayList<>(frequency.getPaths().size());
    for (FieldChanges entry : frequency.getPaths()) {
      paths.add(new FieldChanges(entry.getPath(), entry.getChanges()));
    }
    copy.setPaths(paths);
    return copy;
  }

  private void flush(long now) {
    pending.forEach((key, value) -> emitter.emit(Sinks.FIELDS, key.text(), value, now));
    pending.clear();
  }
}
