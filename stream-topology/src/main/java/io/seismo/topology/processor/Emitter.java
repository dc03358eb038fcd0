package io.seismo.topology.processor;

import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.topology.store.WriteBehindStores;
import java.time.Instant;
import java.util.function.LongConsumer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * How a processor of the {@link AnalysisRouter} node sends records: to a sink by name ({@link Sinks}),
 * while it processes or punctuates, or at a commit ({@link #atCommit}).
 */
final class Emitter {

  private ProcessorContext<String, Object> context;

  void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  void emit(String sink, String key, Object value, long timestamp) {
    context.forward(new Record<>(key, value, timestamp), sink);
  }

  void alert(String apiId, AlertKind kind, String detail, long timestamp) {
    alert(apiId, kind, detail, null, null, timestamp);
  }

  void alert(String apiId, AlertKind kind, String detail, String ruleId, String incidentId, long timestamp) {
    emit(Sinks.ALERTS, apiId, new Alert(apiId, kind, Instant.ofEpochMilli(timestamp), detail, ruleId, incidentId),
        timestamp);
  }

  /**
   * Runs {@code action}, passed the wall-clock time, as the write-behind store {@code storeName} flushes
   * before each commit, with this processor's node current ({@link CommitForwarder}): what it emits goes
   * out in the transaction that commits the stores. Call from {@code init}, after {@link #init}.
   */
  void atCommit(String storeName, LongConsumer action) {
    CommitForwarder forwarder = CommitForwarder.of(context);
    WriteBehindStores.beforeFlush(context.getStateStore(storeName), () -> forwarder.run(action));
  }

  /** This process's wall-clock time (the test driver's mocked one in tests). */
  long wallClock() {
    return context.currentSystemTimeMs();
  }
}
