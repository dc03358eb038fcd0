package io.seismo.topology.replay;

import io.seismo.schemas.topic.Topics;
import io.seismo.topology.config.TopologyConfig;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * In a replay, between the sources and the analysis: passes on only what the replay covers. A record
 * at or beyond its partition's end offset (where the replay stops; later records keep arriving until the
 * topology is closed) is dropped, whatever its topic; a raw poll or SSE event whose record timestamp
 * (the request or receive time) is before {@code from} or after {@code until} is dropped, so both raw
 * topics cover exactly the requested range even where timestamps are not in offset order.
 */
public final class ReplayRange implements Processor<String, Object, String, Object> {

  private final TopologyConfig.Replay replay;
  private ProcessorContext<String, Object> context;

  public ReplayRange(TopologyConfig.Replay replay) {
    this.replay = replay;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Object> record) {
    Optional<RecordMetadata> metadata = context.recordMetadata();
    if (metadata.isPresent()) {
      RecordMetadata source = metadata.get();
      Long end = replay.endOffsets().get(new TopicPartition(source.topic(), source.partition()));
      if (end != null && source.offset() >= end) {
        return;
      }
      if (isRaw(source.topic()) && !inRange(record.timestamp())) {
        return;
      }
    }
    context.forward(record);
  }

  private boolean inRange(long timestamp) {
    return replay.from().map(from -> timestamp >= from.toEpochMilli()).orElse(true)
        && replay.until().map(until -> timestamp <= until.toEpochMilli()).orElse(true);
  }

  private static boolean isRaw(String topic) {
    return topic.equals(Topics.RAW_POLLS.name()) || topic.equals(Topics.RAW_SSE.name());
  }
}
