package io.seismo.topology.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.AppInfoParser;
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
 * internal {@link WrappedStateStore}). Three guards keep an upgrade from breaking it silently: a store
 * refuses to start on a Kafka Streams version it was not tested with ({@link #TESTED_VERSIONS}),
 * {@link PendingWrites#checkDrained()} fails the commit if anything is still pending when the store is
 * told of it, and {@code TopologyCrashIT} kills the topology mid-commit and counts every window.
 *
 * <p>Actions registered with {@link #beforeFlush} run first in each flush: the analysis forwards the
 * windows and statuses it updated since the last commit from there, so they reach the output topics in
 * the same transaction as the stores' writes and the input offsets (a clean close, a rebalance and the
 * end of a replay commit, and so flush, too). When a task is closed or its stores initialised again (after an abort), what is
 * pending belongs to uncommitted input, which is processed again: it is discarded.
 *
 * <p>Known differences from Kafka's record cache: a drained changelog record carries the timestamp
 * of the last record processed before the commit, not of the record that wrote it; and the
 * interactive-query API v2 ({@code query}) reads the store underneath, without the pending writes
 * (Seismo uses the v1 stores API). Writes and the reads that see pending writes happen on the stream
 * thread that owns the task (Kafka Streams' default threading model).
 */
abstract class WriteBehindLayer<S extends StateStore, P, V> extends WrappedStateStore<S, String, V> {

  /**
   * The Kafka Streams versions whose commit path ({@code StreamTask#prepareCommit} flushing the state
   * managers' caches before the record collector and the transaction) was checked for this layer.
   */
  static final Set<String> TESTED_VERSIONS = Set.of("4.3.1");

  protected final PendingWrites<P, V> pending;
  private final List<Runnable> beforeFlush = new CopyOnWriteArrayList<>();

  WriteBehindLayer(S wrapped) {
    super(wrapped);
    this.pending = new PendingWrites<>(wrapped.name());
  }

  /** Writes one pending value (null: deletes) to the store underneath. */
  protected abstract void write(S store, P key, V value);

  /** Fails unless {@code version} is one the write-behind layer was tested with. */
  static void checkKafkaStreamsVersion(String version) {
    if (!TESTED_VERSIONS.contains(version)) {
      throw new IllegalStateException("write-behind store: Kafka Streams " + version + " is not a version its "
          + "commit hook was tested with " + TESTED_VERSIONS + "; check StreamTask#prepareCommit still flushes "
          + "the stores' caches before it commits, then add the version to WriteBehindLayer.TESTED_VERSIONS");
    }
  }

  /**
   * Runs {@code action} on the stream thread at the start of each flush of this store, before its
   * pending writes are drained, until the store is initialised again or closed.
   */
  void beforeFlush(Runnable action) {
    beforeFlush.add(action);
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    // the kafka-streams jar carries no version of its own; Kafka Streams reports the clients' (the parent
    // pom pins every Kafka artifact to one version and the enforcer makes them converge)
    checkKafkaStreamsVersion(AppInfoParser.getVersion());
    pending.discard();
    beforeFlush.clear();
    super.init(context, root);
  }

  @Override
  public void flushCache() {
    beforeFlush.forEach(Runnable::run);
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
    beforeFlush.clear();
    super.close();
  }
}
