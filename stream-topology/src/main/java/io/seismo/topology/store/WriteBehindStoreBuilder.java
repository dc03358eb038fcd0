package io.seismo.topology.store;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builds a store as {@code inner} does, with a write-behind layer on top
 * ({@link WriteBehindKeyValueStore}, {@link WriteBehindWindowStore}).
 */
public final class WriteBehindStoreBuilder<T extends org.apache.kafka.streams.processor.StateStore>
    implements StoreBuilder<T> {

  private final StoreBuilder<T> inner;
  private final UnaryOperator<T> layer;

  private WriteBehindStoreBuilder(StoreBuilder<T> inner, UnaryOperator<T> layer) {
    this.inner = inner;
    this.layer = layer;
  }

  public static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(StoreBuilder<KeyValueStore<String, V>> inner) {
    return new WriteBehindStoreBuilder<>(inner, WriteBehindKeyValueStore::new);
  }

  public static <V> StoreBuilder<WindowStore<String, V>> window(StoreBuilder<WindowStore<String, V>> inner) {
    return new WriteBehindStoreBuilder<>(inner, WriteBehindWindowStore::new);
  }

  @Override
  public T build() {
    return layer.apply(inner.build());
  }

  @Override
  public StoreBuilder<T> withCachingEnabled() {
    inner.withCachingEnabled();
    return this;
  }

  @Override
  public StoreBuilder<T> withCachingDisabled() {
    inner.withCachingDisabled();
    return this;
  }

  @Override
  public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
    inner.withLoggingEnabled(config);
    return this;
  }

  @Override
  public StoreBuilder<T> withLoggingDisabled() {
    inner.withLoggingDisabled();
    return this;
  }

  @Override
  public Map<String, String> logConfig() {
    return inner.logConfig();
  }

  @Override
  public boolean loggingEnabled() {
    return inner.loggingEnabled();
  }

  @Override
  public String name() {
    return inner.name();
  }
}
