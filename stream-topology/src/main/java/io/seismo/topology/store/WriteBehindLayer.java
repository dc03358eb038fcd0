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
 * What the write-behind stores share: the writes since the last flush, kept as objects ({@link PendingWrites}),
 * drained to the store underneath when Kafka Streams flushes before a commit; see docs/architecture.md.
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
