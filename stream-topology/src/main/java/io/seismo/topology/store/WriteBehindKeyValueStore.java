package io.seismo.topology.store;

import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store that keeps the values written since the last commit as objects and writes each key's latest
 * value once per commit; reads see the pending writes, so a value must not be changed after it was put.
 */
public final class WriteBehindKeyValueStore<V> extends WriteBehindLayer<KeyValueStore<String, V>, String, V>
    implements KeyValueStore<String, V> {

  /** The order of the store underneath: UTF-8 bytes, that is code points. */
  static final Comparator<String> KEY_ORDER = WriteBehindKeyValueStore::compareCodePoints;

  public WriteBehindKeyValueStore(KeyValueStore<String, V> wrapped) {
    super(wrapped);
  }

  @Override
  protected void write(KeyValueStore<String, V> store, String key, V value) {
    store.put(key, value);
  }

  @Override
  public void put(String key, V value) {
    pending.put(key, value);
  }

  @Override
  public V putIfAbsent(String key, V value) {
    V current = get(key);
    if (current == null) {
      put(key, value);
    }
    return current;
  }

  @Override
  public void putAll(List<KeyValue<String, V>> entries) {
    entries.forEach(entry -> put(entry.key, entry.value));
  }

  @Override
  public V delete(String key) {
    V current = get(key);
    pending.put(key, null);
    return current;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(String key) {
    Object value = pending.get(key);
    return value == PendingWrites.ABSENT ? wrapped().get(key) : (V) value;
  }

  @Override
  public KeyValueIterator<String, V> range(String from, String to) {
    NavigableMap<String, V> written = pending.sorted(key -> key, key -> within(key, from, to), KEY_ORDER);
    return new OverlayIterator<>(wrapped().range(from, to), written);
  }

  @Override
  public KeyValueIterator<String, V> reverseRange(String from, String to) {
    NavigableMap<String, V> written = pending.sorted(key -> key, key -> within(key, from, to), KEY_ORDER.reversed());
    return new OverlayIterator<>(wrapped().reverseRange(from, to), written);
  }

  @Override
  public KeyValueIterator<String, V> all() {
    NavigableMap<String, V> written = pending.sorted(key -> key, key -> true, KEY_ORDER);
    return new OverlayIterator<>(wrapped().all(), written);
  }

  @Override
  public KeyValueIterator<String, V> reverseAll() {
    NavigableMap<String, V> written = pending.sorted(key -> key, key -> true, KEY_ORDER.reversed());
    return new OverlayIterator<>(wrapped().reverseAll(), written);
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
    return wrapped().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries();
  }

  /** Whether {@code key} is in the inclusive range (a null bound is open), as the store underneath has it. */
  private static boolean within(String key, String from, String to) {
    return (from == null || KEY_ORDER.compare(key, from) >= 0) && (to == null || KEY_ORDER.compare(key, to) <= 0);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int left = a.codePointAt(i);
      int right = b.codePointAt(j);
      if (left != right) {
        return Integer.compare(left, right);
      }
      i += Character.charCount(left);
      j += Character.charCount(right);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
