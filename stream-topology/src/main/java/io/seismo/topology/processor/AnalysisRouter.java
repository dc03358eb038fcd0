package io.seismo.topology.processor;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.SseEvent;
import io.seismo.topology.config.TopologyConfig;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One processor node for both raw sources: polls go to the poll analysis, SSE events to the SSE
 * analysis. Being one node per task, the two share a {@link WindowCache} and the {@link DocumentTrees}
 * safely; the window cache is cleared when processing a record throws, since the record may have
 * changed a cached aggregate half-way (document trees are only used for the hash they were kept for).
 */
public final class AnalysisRouter implements Processor<String, Object, String, Object> {

  private final WindowCache windows = new WindowCache();
  private final DocumentTrees trees = new DocumentTrees();
  private final PollAnalysisProcessor polls;
  private final SseAnalysisProcessor events;

  public AnalysisRouter(TopologyConfig config) {
    this.polls = new PollAnalysisProcessor(config, windows, trees);
    this.events = new SseAnalysisProcessor(config, windows, trees);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    polls.init(context);
    events.init(context);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void process(Record<String, Object> record) {
    try {
      if (record.value() instanceof PollResult) {
        polls.process((Record<String, PollResult>) (Record<?, ?>) record);
      } else if (record.value() instanceof SseEvent) {
        events.process((Record<String, SseEvent>) (Record<?, ?>) record);
      }
    } catch (RuntimeException e) {
      windows.clear(); // a cached aggregate may have been changed half-way; the stores hold the truth
      throw e;
    }
  }
}
