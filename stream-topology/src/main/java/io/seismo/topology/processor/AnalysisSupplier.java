package io.seismo.topology.processor;

import io.seismo.schemas.Execution;
import io.seismo.schemas.Incident;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import io.seismo.topology.store.WriteBehindStores;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Supplies the analysis node's {@link AnalysisRouter}s and declares the stores they write, which Kafka
 * Streams adds to the topology and connects to the node: registrations, documents and incidents with
 * Kafka Streams' record cache; status, executions, recent changes and the windows write-behind
 * ({@link WriteBehindStores}).
 */
final class AnalysisSupplier implements ProcessorSupplier<String, Object, String, Object> {

  private final TopologyConfig config;

  AnalysisSupplier(TopologyConfig config) {
    this.config = config;
  }

  @Override
  public Processor<String, Object, String, Object> get() {
    return new AnalysisRouter(config);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    Set<StoreBuilder<?>> stores = new LinkedHashSet<>();
    stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.REGISTRATIONS),
        Serdes.String(), Topics.REGISTRATIONS.valueSerde()).withCachingEnabled());
    stores.add(WriteBehindStores.keyValue(StoreNames.STATUS, Topics.STATUS.valueSerde()));
    stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.DOCUMENTS),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    stores.add(WriteBehindStores.keyValue(StoreNames.EXECUTIONS, AvroSerde.of(Execution.class)));
    stores.add(WriteBehindStores.keyValue(StoreNames.RECENT_CHANGES, Topics.CHANGES.valueSerde()));
    stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INCIDENTS),
        Serdes.String(), AvroSerde.of(Incident.class)).withCachingEnabled());
    for (TimeWindow window : TimeWindow.values()) {
      stores.add(WriteBehindStores.window(StoreNames.metrics(window), window.retention(), window.size(),
          Topics.METRICS.valueSerde()));
      stores.add(WriteBehindStores.window(StoreNames.fields(window), window.retention(), window.size(),
          Topics.FIELD_CHANGES.valueSerde()));
    }
    return stores;
  }
}
