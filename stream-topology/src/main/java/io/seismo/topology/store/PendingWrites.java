package io.seismo.topology.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The values written to a write-behind store since its last flush, as objects, one per key (the
 * latest): read by the stream thread and by interactive queries, drained by the stream thread when
 * Kafka Streams flushes the store before a commit. A deletion is kept as a tombstone.
 */
final class PendingWrites<K, V> {

  private static final Object DELETED = new Object();

  /** What {@link #get} returns for a key with no pending write: read the store underneath. */
  static final Object ABSENT = new Object();

  private final Map<K, Object> values = new ConcurrentHashMap<>();

  void put(K key, V value) {
    values.put(key, value == null ? DELETED : value);
  }

  /** The pending value of {@code key} (null for a pending deletion), or {@link #ABSENT}. */
  Object get(K key) {
    Object value = values.get(key);
    if (value == null) {
      return ABSENT;
    }
    return value == DELETED ? null : value;
  }

  /**
   * Hands every pending write to {@code write} (a null value is a deletion) and forgets it; a reader
   * meanwhile finds each value either here or, once written, underneath.
   */
  @SuppressWarnings("unchecked")
  void drain(BiConsumer<K, V> write) {
    for (Map.Entry<K, Object> entry : values.entrySet()) {
      Object value = entry.getValue();
      write.accept(entry.getKey(), value == DELETED ? null : (V) value);
      values.remove(entry.getKey(), value);
    }
  }

  /**
   * The pending writes whose key passes {@code which}, as {@code key(k) → value} in {@code order}
   * (null values are deletions): what an iterator over the store lays over the stored entries.
   */
  @SuppressWarnings("unchecked")
  <T> java.util.NavigableMap<T, V> sorted(java.util.function.Function<K, T> key, java.util.function.Predicate<K> which,
                                          java.util.Comparator<? super T> order) {
    java.util.NavigableMap<T, V> sorted = new java.util.TreeMap<>(order);
    values.forEach((k, value) -> {
      if (which.test(k)) {
        sorted.put(key.apply(k), value == DELETED ? null : (V) value);
      }
    });
    return sorted;
  }

  void clear() {
    values.clear();
  }

}
