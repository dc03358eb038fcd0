package io.seismo.topology.processor;

import io.seismo.schemas.FieldFrequency;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/** As {@link ApiIdPartitioner}, for per-field frequency windows (keyed {@code apiId@window@start}). */
public final class FieldFrequencyPartitioner implements StreamPartitioner<String, FieldFrequency> {

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, FieldFrequency value, int numPartitions) {
    return Optional.of(Set.of(ApiIdPartitioner.partitionOf(value.getApiId(), numPartitions)));
  }
}
