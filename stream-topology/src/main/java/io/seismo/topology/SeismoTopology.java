package io.seismo.topology;

import io.seismo.schemas.Execution;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.processor.AnalysisRouter;
import io.seismo.topology.processor.RegistrationProcessor;
import io.seismo.topology.processor.Sinks;
import io.seismo.topology.store.StoreNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The Seismo topology:
 *
 * <pre>
 * seismo.registrations ─► registrations ─┐            ┌─► seismo.status
 *                                        ├─ stores ───┼─► seismo.changes
 * seismo.raw.polls ─┬──► analysis ───────┤            ├─► seismo.metrics
 * seismo.raw.sse ───┘   (poll / SSE)   ─┘            │
 *                                                     └─► seismo.alerts
 * </pre>
 *
 * Stores are cached (Kafka Streams' record cache): a busy API's status and windows are read and
 * rewritten in memory and flushed to RocksDB and the changelogs at each commit.
 * Both sources share the status and document stores, so they are processed in one sub-topology; all
 * topics are keyed by apiId and created with the same partition count (co-partitioned).
 */
public final class SeismoTopology {

  private SeismoTopology() {}

  public static Topology build(TopologyConfig config) {
    Topology topology = new Topology();
    topology.addSource("registrations-source", Topics.REGISTRATIONS.keySerde().deserializer(),
        Topics.REGISTRATIONS.valueSerde().deserializer(), Topics.REGISTRATIONS.name());
    topology.addSource("polls-source", Topics.RAW_POLLS.keySerde().deserializer(),
        Topics.RAW_POLLS.valueSerde().deserializer(), Topics.RAW_POLLS.name());

    topology.addProcessor("registrations", RegistrationProcessor::new, "registrations-source");
    topology.addSource("sse-source", Topics.RAW_SSE.keySerde().deserializer(),
        Topics.RAW_SSE.valueSerde().deserializer(), Topics.RAW_SSE.name());
    topology.addProcessor("analysis", () -> new AnalysisRouter(config), "polls-source", "sse-source");

    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.REGISTRATIONS),
        Serdes.String(), Topics.REGISTRATIONS.valueSerde()).withCachingEnabled(), "registrations", "analysis");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.STATUS),
        Serdes.String(), Topics.STATUS.valueSerde()).withCachingEnabled(), "registrations", "analysis");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.DOCUMENTS),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "registrations", "analysis");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.EXECUTIONS),
        Serdes.String(), AvroSerde.of(Execution.class)).withCachingEnabled(), "registrations", "analysis");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.RECENT_CHANGES),
        Serdes.String(), Topics.CHANGES.valueSerde()).withCachingEnabled(), "registrations", "analysis");
    for (TimeWindow window : TimeWindow.values()) {
      topology.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(StoreNames.metrics(window),
          window.retention(), window.size(), false), Serdes.String(), Topics.METRICS.valueSerde())
              .withCachingEnabled(),
          "registrations", "analysis");
    }

    topology.addSink(Sinks.STATUS, config.outputTopic(Topics.STATUS.name()), Topics.STATUS.keySerde().serializer(),
        Topics.STATUS.valueSerde().serializer(), "registrations", "analysis");
    topology.addSink(Sinks.CHANGES, config.outputTopic(Topics.CHANGES.name()), Topics.CHANGES.keySerde().serializer(),
        Topics.CHANGES.valueSerde().serializer(), "analysis");
    topology.addSink(Sinks.METRICS, config.outputTopic(Topics.METRICS.name()), Topics.METRICS.keySerde().serializer(),
        Topics.METRICS.valueSerde().serializer(), "analysis");
    topology.addSink(Sinks.ALERTS, config.outputTopic(Topics.ALERTS.name()), Topics.ALERTS.keySerde().serializer(),
        Topics.ALERTS.valueSerde().serializer(), "analysis");
    return topology;
  }
}
