package io.seismo.topology.processor;

import io.seismo.schemas.ApiMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Puts a window aggregate in the partition its apiId's records take on every other topic: the one
 * Kafka's default partitioner picks for the apiId as a key (murmur2 of its UTF-8 bytes), although the
 * record's key is {@code apiId@window@start}.
 */
public final class ApiIdPartitioner implements StreamPartitioner<String, ApiMetrics> {

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, ApiMetrics value, int numPartitions) {
    return Optional.of(Set.of(partitionOf(value.getApiId(), numPartitions)));
  }

  /** The partition of records keyed by {@code apiId} under Kafka's default partitioner. */
  public static int partitionOf(String apiId, int numPartitions) {
    return Utils.toPositive(Utils.murmur2(apiId.getBytes(StandardCharsets.UTF_8))) % numPartitions;
  }
}
