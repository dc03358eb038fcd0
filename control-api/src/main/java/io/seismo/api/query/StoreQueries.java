package io.seismo.api.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Reads of the topology's state stores, wherever a key is owned: what the route handlers need of
 * {@link StoreQueryService}. Each read that cannot be answered now (ownership moving, owner unreachable)
 * throws a 503 problem.
 */
public interface StoreQueries {

  String INTERNAL_PATH = "/internal/stores/";
  String FORWARDED_HEADER = "X-Seismo-Forwarded";

  /** A response of another instance, relayed as is. */
  record Relayed(int status, String contentType, byte[] body) {}

  /** The value of {@code key} in {@code store}, wherever it is owned; empty if the key is absent. */
  <V> Optional<V> get(String store, String key, Serde<V> serde, String authorization);

  /** Serialized value of a key this instance owns (the internal endpoint); empty if absent. */
  Optional<byte[]> localBytes(String store, String key, Serde<?> serde);

  /** Serialized value of {@code key} from its owner's internal store endpoint; empty if absent. */
  Optional<byte[]> remoteBytes(HostInfo owner, String store, String key, String authorization);

  /** The instance that owns {@code key} of {@code store}. */
  HostInfo owner(String store, String key);

  boolean isSelf(HostInfo host);

  /** Sends this GET to the owning instance and returns its answer; a request forwarded once is not forwarded again. */
  Relayed forward(HostInfo owner, String pathAndQuery, String authorization, boolean alreadyForwarded);

  /** Reads a key range of a key-value store this instance owns. */
  <V> List<V> localRange(String store, String from, String to);

  /** Reads a window store locally: {@code key}'s windows starting between {@code from} and {@code to}. */
  <V> List<KeyValue<Long, V>> localWindows(String store, String key, Instant from, Instant to);
}
