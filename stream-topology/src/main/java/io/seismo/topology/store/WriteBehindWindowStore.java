package io.seismo.topology.store;

import java.util.Comparator;
import java.util.NavigableMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The window-store counterpart of {@link WriteBehindKeyValueStore}: windows written since the last commit are
 * kept as objects, visible only to the stream thread's reads of one key, and written once per commit.
 */
public final class WriteBehindWindowStore<V> extends WriteBehindLayer<WindowStore<String, V>, WriteBehindWindowStore.Slot, V>
    implements WindowStore<String, V> {

  record Slot(String key, long start) {}

  /** The thread that put the pending windows; no other thread ever sees them. */
  private Thread writer;

  public WriteBehindWindowStore(WindowStore<String, V> wrapped) {
    super(wrapped);
  }

  @Override
  protected void write(WindowStore<String, V> store, Slot slot, V value) {
    store.put(slot.key(), value, slot.start());
  }

  @Override
  public void put(String key, V value, long windowStartTimestamp) {
    writer = Thread.currentThread();
    pending.put(new Slot(key, windowStartTimestamp), value);
  }

  private boolean writing() {
    return Thread.currentThread() == writer;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V fetch(String key, long time) {
    Object value = writing() ? pending.get(new Slot(key, time)) : PendingWrites.ABSENT;
    return value == PendingWrites.ABSENT ? wrapped().fetch(key, time) : (V) value;
  }

  @Override
  public WindowStoreIterator<V> fetch(String key, long timeFrom, long timeTo) {
    return overlay(key, timeFrom, timeTo, Comparator.naturalOrder(), () -> wrapped().fetch(key, timeFrom, timeTo));
  }

  @Override
  public WindowStoreIterator<V> backwardFetch(String key, long timeFrom, long timeTo) {
    return overlay(key, timeFrom, timeTo, Comparator.reverseOrder(), () -> wrapped().backwardFetch(key, timeFrom, timeTo));
  }

  /** {@code key}'s stored windows, with the pending ones laid over them for the writing thread. */
  private WindowStoreIterator<V> overlay(String key, long from, long to, Comparator<Long> order,
                                         Supplier<WindowStoreIterator<V>> stored) {
    if (!writing()) {
      return stored.get();
    }
    NavigableMap<Long, V> written = pending.sorted(Slot::start,
        slot -> slot.key().equals(key) && slot.start() >= from && slot.start() <= to, order);
    return new Windows<>(stored.get(), written);
  }

  @Override
  public KeyValueIterator<Windowed<String>, V> fetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
    return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<String>, V> backwardFetch(String keyFrom, String keyTo, long timeFrom, long timeTo) {
    return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<String>, V> fetchAll(long timeFrom, long timeTo) {
    return wrapped().fetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<String>, V> backwardFetchAll(long timeFrom, long timeTo) {
    return wrapped().backwardFetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<String>, V> all() {
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<Windowed<String>, V> backwardAll() {
    return wrapped().backwardAll();
  }

  /** One key's windows by start time, pending ones laid over the stored ones. */
  private static final class Windows<V> extends OverlayIterator<Long, V> implements WindowStoreIterator<V> {
    Windows(WindowStoreIterator<V> stored, NavigableMap<Long, V> pending) {
      super(stored, pending);
    }
  }
}
