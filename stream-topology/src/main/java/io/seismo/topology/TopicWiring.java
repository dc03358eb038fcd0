package io.seismo.topology;

import io.seismo.schemas.topic.TopicSpec;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Adds {@link TopicSpec topics} to a {@link Topology} as source and sink nodes, with the topic's serdes
 * (the contract module, which holds the specs, does not depend on Kafka Streams).
 */
final class TopicWiring {

  private TopicWiring() {}

  /** Adds the source node {@code name}, reading {@code topic} with its serdes; returns the node's name. */
  static String source(Topology topology, String name, TopicSpec<?, ?> topic) {
    topology.addSource(name, topic.keySerde().deserializer(), topic.valueSerde().deserializer(), topic.name());
    return name;
  }

  /**
   * Adds the sink node {@code name} under {@code parent}, writing {@code topic} with its key serde and
   * {@code values}, partitioned by {@code partitioner} (null: the producer's default partitioner).
   */
  static <K, V> void sink(Topology topology, String name, TopicSpec<K, V> topic, Serializer<V> values,
                          StreamPartitioner<? super K, ? super V> partitioner, String parent) {
    topology.addSink(name, topic.name(), topic.keySerde().serializer(), values, partitioner, parent);
  }
}
