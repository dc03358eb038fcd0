package io.seismo.topology.store;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * What the write-behind stores share: the writes since the last flush, kept as objects
 * ({@link PendingWrites}), and the store's life cycle around them.
 *
 * <p>Exactly once holds because the pending writes go to the store underneath in
 * {@code flushCache()}, which Kafka Streams 4.3 calls (through {@code ProcessorStateManager#flushCache},
 * for the stores registered as the root of their layers) from {@code StreamTask#prepareCommit} before
 * it flushes the record collector and commits the transaction with the input offsets — the hook its
 * own record cache uses. That is an internal interface ({@code CachedStateStore}, implemented by the
 * internal {@link WrappedStateStore}); Kafka is pinned at 4.3.1, {@link PendingWrites#checkDrained()}
 * is a tripwire for upgrades, and {@code TopologyCrashIT} kills the topology mid-commit and counts
 * every window. When a task is closed or its stores initialised again (after an abort), what is
 * pending belongs to uncommitted input, which is processed again: it is discarded.
 *
 * <p>Known differences from Kafka's record cache: a drained changelog record carries the timestamp
 * of the last record processed before the commit, not of the record that wrote it; and the
 * interactive-query API v2 ({@code query}) reads the store underneath, without the pending writes
 * (Seismo uses the v1 stores API). Writes and the reads that see pending writes happen on the stream
 * thread that owns the task (Kafka Streams' default threading model).
 */
abstract class WriteBehindLayer<S extends StateStore, P, V> extends WrappedStateStore<S, String, V> {

  protected final PendingWrites<P, V> pending;

  WriteBehindLayer(S wrapped) {
    super(wrapped);
    this.pending = new PendingWrites<>(wrapped.name());
  }

  /** Writes one pending value (null: deletes) to the store underneath. */
  protected abstract void write(S store, P key, V value);

  @Override
  public void init(StateStoreContext context, StateStore root) {
    pending.discard();
    super.init(context, root);
  }

  @Override
  public void flushCache() {
    S store = wrapped();
    pending.drain((key, value) -> write(store, key, value));
    super.flushCache();
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    pending.checkDrained();
    super.commit(changelogOffsets);
  }

  @Override
  public void clearCache() {
    pending.discard();
    super.clearCache();
  }

  @Override
  public void close() {
    pending.discard();
    super.close();
  }
}
