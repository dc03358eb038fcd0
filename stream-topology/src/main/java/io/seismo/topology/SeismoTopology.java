package io.seismo.topology;

import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.processor.AnalysisRouter;
import io.seismo.topology.processor.ApiIdPartitioner;
import io.seismo.topology.processor.FieldFrequencyPartitioner;
import io.seismo.topology.processor.Sinks;
import io.seismo.topology.replay.ReplayRange;
import io.seismo.topology.store.WriteBehindStores;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The Seismo topology:
 *
 * <pre>
 * seismo.registrations ─┐                       ┌─► seismo.status
 * seismo.raw.polls ─────┼─► analysis ─ stores ──┼─► seismo.changes
 * seismo.raw.sse ───────┘   (one node)          ├─► seismo.metrics
 *                                               ├─► seismo.field-changes
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

  /** The one processor node that writes the stores and forwards to every sink. */
  private static final String ANALYSIS = "analysis";

  private SeismoTopology() {}

  public static Topology build(TopologyConfig config) {
    Topology topology = new Topology();
    String[] sources = {
        TopicWiring.source(topology, "registrations-source", Topics.REGISTRATIONS),
        TopicWiring.source(topology, "polls-source", Topics.RAW_POLLS),
        TopicWiring.source(topology, "sse-source", Topics.RAW_SSE)};
    if (config.replay().isPresent()) { // a replay analyses its range only
      topology.addProcessor("replay-range", () -> new ReplayRange(config.replay().get()), sources);
      sources = new String[] {"replay-range"};
    }
    topology.addProcessor(ANALYSIS, AnalysisRouter.supplier(config), sources); // with its stores

    output(topology, config, Sinks.STATUS, Topics.STATUS, null);
    output(topology, config, Sinks.CHANGES, Topics.CHANGES, null);
    output(topology, config, Sinks.METRICS, Topics.METRICS, new ApiIdPartitioner());
    output(topology, config, Sinks.FIELDS, Topics.FIELD_CHANGES, new FieldFrequencyPartitioner());
    output(topology, config, Sinks.ALERTS, Topics.ALERTS, null);
    return topology;
  }

  /** A sink of the analysis node: the topic (prefixed in a replay), its values in the configured format. */
  private static <V extends SpecificRecord> void output(Topology topology, TopologyConfig config, String sink,
                                                        TopicSpec<String, V> topic, StreamPartitioner<String, V> partitioner) {
    TopicWiring.sink(topology, sink, topic.named(config.outputTopic(topic.name())),
        config.outputFormat().serializer(topic), partitioner, ANALYSIS);
  }
}
