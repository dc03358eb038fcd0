package io.seismo.topology.store;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A store's iterator with the pending writes of a write-behind layer laid over it: both are in the
 * same key order; where both have a key the pending value wins, and a pending deletion (null) hides
 * the key.
 */
class OverlayIterator<K, V> implements KeyValueIterator<K, V> {

  private final KeyValueIterator<K, V> stored;
  private final Iterator<Map.Entry<K, V>> pending;
  private final Comparator<? super K> order;
  private KeyValue<K, V> nextStored;
  private Map.Entry<K, V> nextPending;
  private KeyValue<K, V> next;

  /** {@code pending} is sorted in the iteration order; its null values are deletions. */
  OverlayIterator(KeyValueIterator<K, V> stored, NavigableMap<K, V> pending) {
    this.stored = stored;
    this.pending = pending.entrySet().iterator();
    this.order = pending.comparator();
    this.nextStored = stored.hasNext() ? stored.next() : null;
    this.nextPending = this.pending.hasNext() ? this.pending.next() : null;
  }

  @Override
  public boolean hasNext() {
    while (next == null && (nextStored != null || nextPending != null)) {
      int comparison = nextStored == null ? 1 : nextPending == null ? -1 : order.compare(nextStored.key, nextPending.getKey());
      if (comparison < 0) {
        next = nextStored;
        nextStored = stored.hasNext() ? stored.next() : null;
      } else {
        if (comparison == 0) {
          nextStored = stored.hasNext() ? stored.next() : null; // overwritten or deleted since the last flush
        }
        if (nextPending.getValue() != null) {
          next = KeyValue.pair(nextPending.getKey(), nextPending.getValue());
        }
        nextPending = pending.hasNext() ? pending.next() : null;
      }
    }
    return next != null;
  }

  @Override
  public KeyValue<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValue<K, V> result = next;
    next = null;
    return result;
  }

  @Override
  public K peekNextKey() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return next.key;
  }

  @Override
  public void close() {
    stored.close();
  }
}
