package io.seismo.topology.store;

import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * The values written to a write-behind store since its last flush, as objects, one per key (the
 * latest), drained by the stream thread when Kafka Streams flushes the store before a commit. A
 * deletion is kept as a tombstone. Safe to read from other threads (the key-value layer lets
 * interactive queries read it; the window layer does not).
 */
final class PendingWrites<K, V> {

  private static final Object DELETED = new Object();

  /** What {@link #get} returns for a key with no pending write: read the store underneath. */
  static final Object ABSENT = new Object();

  private final String storeName;
  private final Map<K, Object> values = new ConcurrentHashMap<>();

  PendingWrites(String storeName) {
    this.storeName = storeName;
  }

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
   * Hands every pending write to {@code write} (a null value is a deletion) and forgets it. Each key
   * is written before it is forgotten, so a point read meanwhile finds its value here or underneath.
   * A failure — a value that cannot be serialized among them — propagates and fails the commit: the
   * task's transaction is aborted and its input processed again, so the stores, the caches of the
   * processor and the output topics never part ways (a value is never dropped while its input commits).
   */
  @SuppressWarnings("unchecked")
  void drain(BiConsumer<K, V> write) {
    for (Map.Entry<K, Object> entry : values.entrySet()) {
      Object value = entry.getValue();
      try {
        write.accept(entry.getKey(), value == DELETED ? null : (V) value);
      } catch (SerializationException e) {
        throw new StreamsException("write-behind store " + storeName + " cannot serialize the value of key "
            + entry.getKey() + "; failing the commit so that its input is not committed without it", e);
      }
      values.remove(entry.getKey(), value);
    }
  }

  /**
   * The pending writes whose key passes {@code which}, as {@code key(k) → value} in {@code order}
   * (null values are deletions): what an iterator over the store lays over the stored entries. Taken
   * before the stored iterator is opened, so a key drained in between is in one or the other.
   */
  @SuppressWarnings("unchecked")
  <T> NavigableMap<T, V> sorted(Function<K, T> key, Predicate<K> which, Comparator<? super T> order) {
    NavigableMap<T, V> sorted = new TreeMap<>(order);
    values.forEach((k, value) -> {
      if (which.test(k)) {
        sorted.put(key.apply(k), value == DELETED ? null : (V) value);
      }
    });
    return sorted;
  }

  /**
   * Forgets what is pending: the store was closed or initialised again. Every pending write belongs
   * to input whose offsets are not committed yet (each commit flushes first), so that input is
   * processed again and nothing is lost.
   */
  void discard() {
    values.clear();
  }

  /**
   * A tripwire for Kafka Streams upgrades: 4.3 flushes the caches (draining this) before it commits,
   * so nothing is pending when a store is told of a commit. Anything pending then would be writes
   * whose input is being committed without them: fail the commit.
   */
  void checkDrained() {
    if (!values.isEmpty()) {
      throw new IllegalStateException("write-behind store " + storeName + " has " + values.size() + " write(s) "
          + "pending at a commit: Kafka Streams committed without flushing the caches first; this Kafka Streams "
          + "version's commit path does not suit the write-behind stores");
    }
  }
}
