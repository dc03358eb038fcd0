package io.seismo.api.metadata;

import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Answers one question: which instance of the topology owns a key of a store right now. */
public final class MetadataService {

  private final KafkaStreams streams;
  private final HostInfo self;

  public MetadataService(KafkaStreams streams, HostInfo self) {
    this.streams = streams;
    this.self = self;
  }

  /** The active owner of {@code key}, or empty while the group is rebalancing. */
  public Optional<HostInfo> ownerOf(String store, String key) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return Optional.empty();
    }
    KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return Optional.empty();
    }
    return Optional.of(metadata.activeHost());
  }

  public boolean isSelf(HostInfo host) {
    return self.equals(host);
  }

  public HostInfo self() {
    return self;
  }
}
