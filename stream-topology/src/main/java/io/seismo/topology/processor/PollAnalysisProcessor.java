package io.seismo.topology.processor;

import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Measured;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Sightings;
import io.seismo.schemas.Source;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.Freshness;
import io.seismo.topology.analysis.TransferCost;
import io.seismo.topology.config.TopologyConfig;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Analyses each poll of an API: its status, its document (compared, and diffed into a change when it
 * changed), its windows and its execution log. A wall-clock punctuator ({@link #tick}) checks every
 * API for stalls, final windows and time-based alert rules.
 */
final class PollAnalysisProcessor extends AnalysisProcessor<PollResult> {

  PollAnalysisProcessor(TopologyConfig config, Tables tables) {
    super(config, tables);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    super.init(context);
    if (config.replay().isEmpty()) {
      context.schedule(config.stallCheck(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }
  }

  @Override
  public void process(Record<String, PollResult> record) {
    String apiId = record.key();
    PollResult poll = record.value();
    if (apiId == null || poll == null || afterReplayEnd(poll)) {
      return;
    }
    Registration registration = registrations.get(apiId);
    ApiStatus status = statuses.statusOf(apiId);
    ApiState before = status.getState();
    long at = poll.getRequestedAt().toEpochMilli();
    long sinceLastSample = status.getLastSampleAt() == null ? 0 : at - status.getLastSampleAt();
    long transferred = poll.getHeaderBytes() + poll.getWireBodyBytes();
    boolean failed = poll.getError() != null && !poll.getNotModified();

    DocumentAnalyzer.Analysis analysis = null;
    TransferCost.Cost cost;
    Long changeInterval = null;
    if (failed) {
      StatusMachine.recordFailure(status, poll.getError());
      cost = TransferCost.ofFailure(transferred);
    } else if (poll.getNotModified()) {
      StatusMachine.recordSuccess(status);
      status.setNotModified(status.getNotModified() + 1);
      cost = TransferCost.of(poll.getHeaderBytes(), status.getLastWireBodyBytes(), true, null, sinceLastSample);
    } else {
      StatusMachine.recordSuccess(status);
      analysis = comparer.analyze(apiId, bytes(poll.getBody()), registration, status);
      status.setLastWireBodyBytes(poll.getWireBodyBytes());
      changeInterval = payload(apiId, Source.POLL, poll.getSequence(), poll.getRequestedAt(), analysis,
          poll.getBodyBytes(), status, registration, record.timestamp());
      cost = TransferCost.of(poll.getHeaderBytes(), poll.getWireBodyBytes(), false, analysis, sinceLastSample);
    }

    status.setLastHttpStatus(poll.getHttpStatus());
    status.setLastLatencyMs(poll.getLatencyMs());
    status.setTotalWireBytes(status.getTotalWireBytes() + transferred);
    Measured measured = new Measured(); // every field a long defaulting to 0, as the builder sets them
    measured.setPollBytes(transferred);
    measured.setPollNotModifiedBytes(poll.getNotModified() ? transferred : 0);
    if (analysis != null && (analysis.first() || analysis.changed()) && observedBothWays(registration)) {
      Sightings sightings = documents.sightingsOf(apiId);
      Freshness.see(sightings, measured, Source.POLL, analysis.hash(), at, analysis.first());
      documents.keepSightings(apiId, sightings);
    }
    log.poll(apiId, status, poll, registration, analysis);
    sampled(apiId, registration, before, status, new Sample(at, failed ? poll.getError() : null, analysis != null,
        poll.getNotModified(), analysis, poll.getBodyBytes(), poll.getLatencyMs(), changeInterval, cost, measured),
        record.timestamp());
  }

  private boolean afterReplayEnd(PollResult poll) {
    return config.replay().flatMap(TopologyConfig.Replay::until).map(poll.getRequestedAt()::isAfter).orElse(false);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
