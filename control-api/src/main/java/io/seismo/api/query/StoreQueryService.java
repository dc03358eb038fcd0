package io.seismo.api.query;

import io.seismo.api.error.ProblemException;
import io.seismo.api.metadata.MetadataService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Reads one key of a key-value store wherever it lives: locally when this instance owns the key,
 * otherwise from the owner over its internal store endpoint (the value travels in its serialized
 * form, so every store works the same way). While ownership is moving it answers 503 with
 * Retry-After rather than a wrong or empty answer.
 */
public final class StoreQueryService implements StoreQueries {

  private final KafkaStreams streams;
  private final MetadataService metadata;
  private final Map<String, ReadOnlyKeyValueStore<String, ?>> kvStores = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .executor(Executors.newVirtualThreadPerTaskExecutor())
      .build();

  public StoreQueryService(KafkaStreams streams, MetadataService metadata) {
    this.streams = streams;
    this.metadata = metadata;
  }

  /** The value of {@code key} in {@code store}, wherever it is owned; empty if the key is absent. */
  @Override
  public <V> Optional<V> get(String store, String key, Serde<V> serde, String authorization) {
    HostInfo owner = metadata.ownerOf(store, key)
        .orElseThrow(() -> ProblemException.unavailable("state is being rebalanced; retry shortly"));
    if (metadata.isSelf(owner)) {
      return Optional.ofNullable(local(store, key, serde));
    }
    return remoteBytes(owner, store, key, authorization).map(bytes -> serde.deserializer().deserialize(store, bytes));
  }

  /** Serialized value of a key this instance owns (the internal endpoint); empty if absent. */
  @Override
  public Optional<byte[]> localBytes(String store, String key, Serde<?> serde) {
    HostInfo owner = metadata.ownerOf(store, key)
        .orElseThrow(() -> ProblemException.unavailable("state is being rebalanced; retry shortly"));
    if (!metadata.isSelf(owner)) {
      throw ProblemException.unavailable("this instance no longer owns the key; retry shortly");
    }
    return Optional.ofNullable(localRaw(store, key, serde));
  }

  private <V> V local(String store, String key, Serde<V> serde) {
    try {
      return this.<V>keyValueStore(store).get(key);
    } catch (InvalidStateStoreException e) {
      kvStores.remove(store);
      throw ProblemException.unavailable("store " + store + " is not queryable right now: " + e.getMessage());
    }
  }

  /** Store handles are cheap to keep and costly to create per request; dropped when they go stale. */
  @SuppressWarnings("unchecked")
  private <V> ReadOnlyKeyValueStore<String, V> keyValueStore(String store) {
    return (ReadOnlyKeyValueStore<String, V>) kvStores.computeIfAbsent(store, name -> streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, Object>keyValueStore())));
  }

  @SuppressWarnings("unchecked")
  private byte[] localRaw(String store, String key, Serde<?> serde) {
    Object value = local(store, key, serde);
    return value == null ? null : ((Serde<Object>) serde).serializer().serialize(store, value);
  }

  /** Serialized value of {@code key} from its owner's internal store endpoint; empty if absent. */
  @Override
  public Optional<byte[]> remoteBytes(HostInfo owner, String store, String key, String authorization) {
    URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + INTERNAL_PATH
        + URLEncoder.encode(store, StandardCharsets.UTF_8) + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return switch (response.statusCode()) {
        case 200 -> Optional.of(response.body());
        case 404 -> Optional.empty();
        default -> throw ProblemException.unavailable("owner " + owner.host() + ":" + owner.port()
            + " answered " + response.statusCode() + "; retry shortly");
      };
    } catch (IOException e) {
      throw ProblemException.unavailable("owner " + owner.host() + ":" + owner.port() + " is unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while asking " + owner.host() + ":" + owner.port());
    }
  }

  /** The instance that owns {@code key} of {@code store}; 503 while ownership is moving. */
  @Override
  public HostInfo owner(String store, String key) {
    return metadata.ownerOf(store, key)
        .orElseThrow(() -> ProblemException.unavailable("state is being rebalanced; retry shortly"));
  }

  @Override
  public boolean isSelf(HostInfo host) {
    return metadata.isSelf(host);
  }

  /**
   * Sends this GET to the owning instance and returns its answer. A request that was already forwarded
   * once is not forwarded again (ownership moved in between): 503, retry.
   */
  @Override
  public Relayed forward(HostInfo owner, String pathAndQuery, String authorization, boolean alreadyForwarded) {
    if (alreadyForwarded) {
      throw ProblemException.unavailable("ownership moved while the request was forwarded; retry shortly");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(5)).header(FORWARDED_HEADER, "1").GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Relayed(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
    } catch (IOException e) {
      throw ProblemException.unavailable("owner " + owner.host() + ":" + owner.port() + " is unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while asking " + owner.host() + ":" + owner.port());
    }
  }

  /** Reads a key range of a key-value store this instance owns. */
  @Override
  public <V> List<V> localRange(String store, String from, String to) {
    try {
      ReadOnlyKeyValueStore<String, V> kv = streams.store(
          StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
      List<V> values = new ArrayList<>();
      try (var range = kv.range(from, to)) {
        range.forEachRemaining(entry -> values.add(entry.value));
      }
      return values;
    } catch (InvalidStateStoreException e) {
      throw ProblemException.unavailable("store " + store + " is not queryable right now: " + e.getMessage());
    }
  }

  /** Reads a window store locally: {@code key}'s windows starting between {@code from} and {@code to}. */
  @Override
  public <V> List<KeyValue<Long, V>> localWindows(String store, String key,
      Instant from, Instant to) {
    try {
      ReadOnlyWindowStore<String, V> windows = streams.store(
          StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>windowStore()));
      List<KeyValue<Long, V>> result = new ArrayList<>();
      try (var iterator = windows.fetch(key, from, to)) {
        iterator.forEachRemaining(result::add);
      }
      return result;
    } catch (InvalidStateStoreException e) {
      throw ProblemException.unavailable("store " + store + " is not queryable right now: " + e.getMessage());
    }
  }

  public void close() {
    http.close();
  }
}
