package io.seismo.topology;

import io.seismo.schemas.Execution;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.processor.AnalysisRouter;
import io.seismo.topology.processor.ApiIdPartitioner;
import io.seismo.topology.processor.FieldFrequencyPartitioner;
import io.seismo.topology.processor.Sinks;
import io.seismo.topology.replay.ReplayRange;
import io.seismo.topology.store.StoreNames;
import io.seismo.topology.store.WriteBehindStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The Seismo topology:
 *
 * <pre>
 * seismo.registrations ─┐                       ┌─► seismo.status
 * seismo.raw.polls ─────┼─► analysis ─ stores ──┼─► seismo.changes
 * seismo.raw.sse ───────┘   (one node)          ├─► seismo.metrics
 *                                               └─► seismo.alerts
 * </pre>
 *
 * One processor node ({@link AnalysisRouter}) reads the three sources and is the only writer of the
 * stores, so it keeps the values it uses on every sample (registration, status, current windows, parsed
 * document) as objects. What every sample writes — the status, the windows and the execution log (a
 * ring of slots, which a busy API goes round within one commit interval) — and the change log are in
 * write-behind stores ({@link WriteBehindStores}): each key is serialized and written to RocksDB
 * and its changelog once per commit, with its last value, not once per sample. Registrations and
 * documents, written rarely, use Kafka Streams' record cache. All
 * sources are in one sub-topology: every topic is partitioned by apiId (window aggregates, keyed
 * {@code apiId@window@start}, by {@link ApiIdPartitioner}) and created with the same partition count
 * (co-partitioned).
 */
public final class SeismoTopology {

  private SeismoTopology() {}

  public static Topology build(TopologyConfig config) {
    Topology topology = new Topology();
    topology.addSource("registrations-source", Topics.REGISTRATIONS.keySerde().deserializer(),
        Topics.REGISTRATIONS.valueSerde().deserializer(), Topics.REGISTRATIONS.name());
    topology.addSource("polls-source", Topics.RAW_POLLS.keySerde().deserializer(),
        Topics.RAW_POLLS.valueSerde().deserializer(), Topics.RAW_POLLS.name());

    topology.addSource("sse-source", Topics.RAW_SSE.keySerde().deserializer(),
        Topics.RAW_SSE.valueSerde().deserializer(), Topics.RAW_SSE.name());
    String[] sources = {"registrations-source", "polls-source", "sse-source"};
    if (config.replay().isPresent()) { // a replay analyses its range only
      topology.addProcessor("replay-range", () -> new ReplayRange(config.replay().get()), sources);
      sources = new String[] {"replay-range"};
    }
    topology.addProcessor("analysis", () -> new AnalysisRouter(config), sources);

    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.REGISTRATIONS),
        Serdes.String(), Topics.REGISTRATIONS.valueSerde()).withCachingEnabled(), "analysis");
    topology.addStateStore(WriteBehindStores.keyValue(StoreNames.STATUS, Topics.STATUS.valueSerde()), "analysis");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.DOCUMENTS),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "analysis");
    topology.addStateStore(WriteBehindStores.keyValue(StoreNames.EXECUTIONS, AvroSerde.of(Execution.class)), "analysis");
    topology.addStateStore(WriteBehindStores.keyValue(StoreNames.RECENT_CHANGES, Topics.CHANGES.valueSerde()), "analysis");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.INCIDENTS),
        Serdes.String(), AvroSerde.of(io.seismo.schemas.Incident.class)).withCachingEnabled(), "analysis");
    for (TimeWindow window : TimeWindow.values()) {
      topology.addStateStore(WriteBehindStores.window(StoreNames.metrics(window), window.retention(), window.size(),
          Topics.METRICS.valueSerde()), "analysis");
      topology.addStateStore(WriteBehindStores.window(StoreNames.fields(window), window.retention(), window.size(),
          Topics.FIELD_CHANGES.valueSerde()), "analysis");
    }

    topology.addSink(Sinks.STATUS, config.outputTopic(Topics.STATUS.name()), Topics.STATUS.keySerde().serializer(),
        config.outputFormat().serializer(Topics.STATUS), "analysis");
    topology.addSink(Sinks.CHANGES, config.outputTopic(Topics.CHANGES.name()), Topics.CHANGES.keySerde().serializer(),
        config.outputFormat().serializer(Topics.CHANGES), "analysis");
    topology.addSink(Sinks.METRICS, config.outputTopic(Topics.METRICS.name()), Topics.METRICS.keySerde().serializer(),
        config.outputFormat().serializer(Topics.METRICS), new ApiIdPartitioner(), "analysis");
    topology.addSink(Sinks.FIELDS, config.outputTopic(Topics.FIELD_CHANGES.name()),
        Topics.FIELD_CHANGES.keySerde().serializer(), config.outputFormat().serializer(Topics.FIELD_CHANGES),
        new FieldFrequencyPartitioner(), "analysis");
    topology.addSink(Sinks.ALERTS, config.outputTopic(Topics.ALERTS.name()), Topics.ALERTS.keySerde().serializer(),
        config.outputFormat().serializer(Topics.ALERTS), "analysis");
    return topology;
  }
}
