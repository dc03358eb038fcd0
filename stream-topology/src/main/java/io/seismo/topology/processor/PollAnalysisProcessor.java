package io.seismo.topology.processor;

import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Measured;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Sightings;
import io.seismo.schemas.Source;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.Freshness;
import io.seismo.topology.analysis.MeasuredSums;
import io.seismo.topology.analysis.TransferCost;
import io.seismo.topology.analysis.WindowAggregates;
import io.seismo.topology.config.TopologyConfig;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Analyses each poll of an API and keeps every view of it current:
 *
 * <ul>
 *   <li>status: samples, sizes, errors, state machine (RUNNING / FAILING / STALLED) with alerts;</li>
 *   <li>document: canonical, narrowed by the JSON Pointer, compared by hash (fast path) and diffed into a
 *       {@link Change} with an RFC 6902 patch when it changed;</li>
 *   <li>windows (1 min, 1 h, 1 day): samples, changes, sizes, change intervals, latency sketch, errors
 *       by category, and what plain polling, conditional polling and streaming would cost;</li>
 *   <li>logs: the most recent executions and changes.</li>
 * </ul>
 * A wall-clock punctuator marks APIs STALLED when no sample arrived within k × their interval.
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
    ApiStatus status = statusOf(apiId);
    ApiState before = status.getState();
    long at = poll.getRequestedAt().toEpochMilli();
    long sinceLastSample = status.getLastSampleAt() == null ? 0 : at - status.getLastSampleAt();
    long transferred = poll.getHeaderBytes() + poll.getWireBodyBytes();
    boolean failed = poll.getError() != null && !poll.getNotModified();

    DocumentAnalyzer.Analysis analysis = null;
    TransferCost.Cost cost;
    Long changeInterval = null;
    if (failed) {
      recordFailure(status, poll.getError());
      cost = TransferCost.ofFailure(transferred);
    } else if (poll.getNotModified()) {
      status.setConsecutiveFailures(0);
      status.setNotModified(status.getNotModified() + 1);
      cost = TransferCost.of(poll.getHeaderBytes(), status.getLastWireBodyBytes(), true, null, sinceLastSample);
    } else {
      status.setConsecutiveFailures(0);
      analysis = analyze(apiId, bytes(poll.getBody()), registration, status);
      if (analysis.changed() && status.getLastChangeAt() != null) {
        changeInterval = at - status.getLastChangeAt();
      }
      recordPayload(apiId, poll, analysis, status, registration, record.timestamp());
      cost = TransferCost.of(poll.getHeaderBytes(), poll.getWireBodyBytes(), false, analysis, sinceLastSample);
    }

    status.setSamples(status.getSamples() + 1);
    status.setLastSampleAt(at);
    status.setLastHttpStatus(poll.getHttpStatus());
    status.setLastLatencyMs(poll.getLatencyMs());
    status.setTotalWireBytes(status.getTotalWireBytes() + transferred);
    status.setTotalBytesPolled(status.getTotalBytesPolled() + cost.polled());
    status.setTotalBytesConditional(status.getTotalBytesConditional() + cost.conditional());
    status.setTotalBytesStreamed(status.getTotalBytesStreamed() + cost.streamed());
    status.setUpdatedAt(at);
    Measured measured = Measured.newBuilder().setPollBytes(transferred)
        .setPollNotModifiedBytes(poll.getNotModified() ? transferred : 0).build();
    if (analysis != null && (analysis.first() || analysis.changed()) && observedBothWays(registration)) {
      Sightings sightings = sightingsOf(apiId);
      Freshness.see(sightings, measured, Source.POLL, analysis.hash(), at, analysis.first());
      keepSightings(apiId, sightings);
    }
    status.setMeasured(MeasuredSums.plus(status.getMeasured(), measured));
    log.poll(apiId, status, poll, registration, analysis);
    finish(apiId, before, status, failed, record.timestamp());

    WindowAggregates.Sample sample = new WindowAggregates.Sample(analysis != null, poll.getNotModified(),
        analysis != null && analysis.changed(), failed ? poll.getError() : null, poll.getBodyBytes(),
        poll.getLatencyMs(), changeInterval, cost);
    aggregate(apiId, at, sample, measured, record.timestamp());
    checkRules(apiId, registration, at, analysis, poll.getBodyBytes());
  }

  private boolean afterReplayEnd(PollResult poll) {
    return config.replay().flatMap(TopologyConfig.Replay::until).map(poll.getRequestedAt()::isAfter).orElse(false);
  }

  private void recordPayload(String apiId, PollResult poll, DocumentAnalyzer.Analysis analysis, ApiStatus status,
                             Registration registration, long timestamp) {
    status.setPayloads(status.getPayloads() + 1);
    status.setLastPayloadBytes(poll.getBodyBytes());
    status.setLastWireBodyBytes(poll.getWireBodyBytes());
    status.setTotalPayloadBytes(status.getTotalPayloadBytes() + poll.getBodyBytes());
    recordDocument(apiId, Source.POLL, poll.getSequence(), poll.getRequestedAt(), analysis, status, registration, timestamp);
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
