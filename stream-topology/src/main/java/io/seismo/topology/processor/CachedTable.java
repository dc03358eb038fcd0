package io.seismo.topology.processor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value state store whose values (and absences) are also kept as objects, bounded, for the one processor
 * node that writes it; values handed out are shared and never changed in place.
 */
final class CachedTable<V> {

  static final int MAX_ENTRIES = 10_000;

  private final String storeName;
  private final Map<String, Optional<V>> objects = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Optional<V>> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  private KeyValueStore<String, V> store;

  CachedTable(String storeName) {
    this.storeName = storeName;
  }

  void init(ProcessorContext<?, ?> context) {
    this.store = context.getStateStore(storeName);
    objects.clear();
  }

  /** The value of {@code key}, or null. */
  V get(String key) {
    Optional<V> cached = objects.get(key);
    if (cached == null) {
      cached = Optional.ofNullable(store.get(key));
      objects.put(key, cached);
    }
    return cached.orElse(null);
  }

  void put(String key, V value) {
    store.put(key, value);
    objects.put(key, Optional.ofNullable(value));
  }

  void delete(String key) {
    store.delete(key);
    objects.put(key, Optional.empty());
  }

  /** Every entry, read from the store (decoded, not cached; values not to be changed in place). */
  KeyValueIterator<String, V> all() {
    return store.all();
  }
}
