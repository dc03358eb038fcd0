package io.seismo.schemas.topic;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A typed Kafka topic: its name, the serdes of its keys and values, and the topic-level configs it is
 * created with (cleanup policy, retention, ...). Immutable.
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    configs = Map.copyOf(configs);
  }

  /** The same topic under another name (replays write to prefixed copies of the output topics). */
  public TopicSpec<K, V> named(String otherName) {
    return new TopicSpec<>(otherName, keySerde, valueSerde, configs);
  }

  public boolean compacted() {
    return configs.getOrDefault("cleanup.policy", "delete").contains("compact");
  }
}
