package io.seismo.topology;

import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.processor.AnalysisRouter;
import io.seismo.topology.processor.ApiIdPartitioner;
import io.seismo.topology.processor.FieldFrequencyPartitioner;
import io.seismo.topology.processor.Sinks;
import io.seismo.topology.replay.ReplayRange;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The Seismo topology: the three sources, one analysis node writing the stores, and the output topics, in one
 * co-partitioned sub-topology; see docs/architecture.md ("The topology and exactly once").
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
