package io.seismo.api.route;

import io.seismo.api.query.StoreQueries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.HostInfo;

/** One instance that owns every key: key-value reads from a map, empty ranges and windows, nothing to forward. */
final class InMemoryStoreQueries implements StoreQueries {

  static final HostInfo SELF = new HostInfo("localhost", 0);

  private final Map<String, Object> values = new ConcurrentHashMap<>();

  void put(String store, String key, Object value) {
    values.put(store + "/" + key, value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> Optional<V> get(String store, String key, Serde<V> serde, String authorization) {
    return Optional.ofNullable((V) values.get(store + "/" + key));
  }

  @Override
  public Optional<byte[]> localBytes(String store, String key, Serde<?> serde) {
    return Optional.empty();
  }

  @Override
  public Optional<byte[]> remoteBytes(HostInfo owner, String store, String key, String authorization) {
    throw new UnsupportedOperationException("one instance owns every key");
  }

  @Override
  public HostInfo owner(String store, String key) {
    return SELF;
  }

  @Override
  public boolean isSelf(HostInfo host) {
    return SELF.equals(host);
  }

  @Override
  public Relayed forward(HostInfo owner, String pathAndQuery, String authorization, boolean alreadyForwarded) {
    throw new UnsupportedOperationException("one instance owns every key");
  }

  @Override
  public <V> List<V> localRange(String store, String from, String to) {
    return List.of();
  }

  @Override
  public <V> List<KeyValue<Long, V>> localWindows(String store, String key, Instant from, Instant to) {
    return List.of();
  }
}
