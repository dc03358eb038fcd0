package io.seismo.topology.store;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.KeyValueStoreBuilder;
import org.apache.kafka.streams.state.internals.WindowStoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * Builders of persistent (RocksDB, logged, not cached) stores keyed by apiId with a write-behind layer
 * on top ({@link WriteBehindKeyValueStore}, {@link WriteBehindWindowStore}). They extend Kafka
 * Streams' own builders, because Kafka Streams derives a changelog topic's config from the builder's
 * type: a window store's changelog is {@code compact,delete} with the store's retention (plus a day),
 * a key-value store's is {@code compact} — a builder of another type would make the window changelogs
 * compact-only, and they would grow forever (window keys never repeat).
 */
public final class WriteBehindStores {

  private WriteBehindStores() {}

  /**
   * Runs {@code action} at the start of every flush of {@code store} — the write-behind store a processor
   * got from its context (Kafka Streams hands processors the store wrapped in a read-write decorator) —
   * until the store is initialised again or closed. Fails when {@code store} has no write-behind layer.
   */
  public static void beforeFlush(StateStore store, Runnable action) {
    StateStore layer = store;
    while (!(layer instanceof WriteBehindLayer<?, ?, ?>) && layer instanceof WrappedStateStore<?, ?, ?> wrapper) {
      layer = wrapper.wrapped();
    }
    if (!(layer instanceof WriteBehindLayer<?, ?, ?> writeBehind)) {
      throw new IllegalStateException("store " + store.name() + " has no write-behind layer (got "
          + store.getClass().getName() + "): this Kafka Streams version wraps processors' stores differently");
    }
    writeBehind.beforeFlush(action);
  }

  public static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> valueSerde) {
    return new KeyValueStoreBuilder<>(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde, Time.SYSTEM) {
      @Override
      public KeyValueStore<String, V> build() {
        return new WriteBehindKeyValueStore<>(super.build());
      }
    };
  }

  public static <V> StoreBuilder<WindowStore<String, V>> window(String name, Duration retention, Duration size,
                                                                Serde<V> valueSerde) {
    return new WindowStoreBuilder<>(Stores.persistentWindowStore(name, retention, size, false), Serdes.String(),
        valueSerde, Time.SYSTEM) {
      @Override
      public WindowStore<String, V> build() {
        return new WriteBehindWindowStore<>(super.build());
      }
    };
  }
}
