package io.seismo.topology.processor;

import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Measured;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Source;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.MeasuredSums;
import io.seismo.topology.analysis.TransferCost;
import io.seismo.topology.analysis.WindowAggregates;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * What the poll and SSE analyses are made of — parts that each own one concern — and the one path a
 * sample takes through them ({@link #payload}, {@link #sampled}). Subclasses turn their raw record into a sample.
 */
abstract class AnalysisProcessor<V> implements Processor<String, V, String, Object> {

  /** What the processors of one {@link AnalysisRouter} share: it initialises and clears them. */
  record Tables(CachedTable<Registration> registrations, CachedTable<ApiStatus> statuses, WindowCache windows,
                DocumentTrees trees, Map<String, Long> analysedAt, FieldFrequencyRecorder fields) {}

  /**
   * One sample of an API — a poll, or an event of its stream — as the status, the windows and the alert
   * rules count it: {@code error} is null for a success, {@code analysis} null without an analysed
   * payload, {@code size} the payload's size, {@code latencyMs} null for a streamed event.
   */
  record Sample(long at, SampleError error, boolean payload, boolean notModified, DocumentAnalyzer.Analysis analysis,
                long size, Long latencyMs, Long changeIntervalMs, TransferCost.Cost cost, Measured measured) {}

  final TopologyConfig config;
  final CachedTable<Registration> registrations;
  final ExecutionLog log = new ExecutionLog();
  final StatusMachine statuses;
  final DocumentComparer comparer;
  final DocumentRecorder documents;
  final WindowAggregator windows;
  private final Emitter emitter = new Emitter();
  private final StallDetector stalls;
  private final RuleChecks rules;

  AnalysisProcessor(TopologyConfig config, Tables tables) {
    this.config = config;
    this.registrations = tables.registrations();
    this.statuses = new StatusMachine(config, tables.statuses(), emitter);
    this.comparer = new DocumentComparer(config, tables.trees());
    this.documents = new DocumentRecorder(tables.fields(), emitter);
    this.windows = new WindowAggregator(tables.windows(), tables.statuses(), emitter);
    this.stalls = new StallDetector(config, registrations, tables.statuses(), tables.analysedAt(), statuses);
    this.rules = new RuleChecks(registrations, tables.statuses(), tables.windows(), tables.trees(), emitter::alert);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    emitter.init(context);
    // (re)initialised: the stores may have been restored to older values, and their input comes again
    statuses.discardPending();
    windows.init(context);
    comparer.init(context);
    documents.init(context);
    log.init(context.getStateStore(StoreNames.EXECUTIONS));
    rules.init(context);
    emitter.atCommit(StoreNames.STATUS, this::flush);
  }

  /**
   * Emits the windows and statuses updated since the last commit, once each (state transitions are
   * emitted at once). Runs as the stores flush before each commit, so every window and status on the
   * output topics equals what the stores commit with it: after a clean close, a rebalance, a crash
   * (the transaction holding both is aborted) or the end of a replay alike.
   */
  private void flush(long now) {
    windows.flush(now);
    statuses.flush(now);
  }

  /** The wall-clock tick: stalls, final windows, alert rules. */
  void tick(long now) {
    stalls.check(now);
    windows.emitFinal(now);
    rules.tick(now);
  }

  /** Mode BOTH: the API is polled and streamed, and the two are measured against each other. */
  static boolean observedBothWays(Registration registration) {
    return registration != null && registration.getMode() == ApiMode.BOTH;
  }

  /**
   * A sample delivered a payload of {@code size} bytes: counts it and, when it was analysed, keeps the
   * document current ({@link DocumentRecorder#record}). Returns the time since the previous change when
   * the payload changed the document, else null.
   */
  Long payload(String apiId, Source source, long sequence, Instant at, DocumentAnalyzer.Analysis analysis, long size,
               ApiStatus status, Registration registration, long timestamp) {
    Long changeInterval = analysis != null && analysis.changed() && status.getLastChangeAt() != null
        ? at.toEpochMilli() - status.getLastChangeAt() : null;
    status.setPayloads(status.getPayloads() + 1);
    status.setLastPayloadBytes(size);
    status.setTotalPayloadBytes(status.getTotalPayloadBytes() + size);
    if (analysis != null) {
      documents.record(apiId, source, sequence, at, analysis, status, registration, timestamp);
    }
    return changeInterval;
  }

  /**
   * The path every sample ends with, polled or streamed: counts it in the status (its failure or
   * success already recorded), applies the state machine, adds it to the windows and checks the rules.
   */
  void sampled(String apiId, Registration registration, ApiState before, ApiStatus status, Sample sample,
               long timestamp) {
    status.setSamples(status.getSamples() + 1);
    status.setLastSampleAt(sample.at());
    status.setUpdatedAt(sample.at());
    status.setTotalBytesPolled(status.getTotalBytesPolled() + sample.cost().polled());
    status.setTotalBytesConditional(status.getTotalBytesConditional() + sample.cost().conditional());
    status.setTotalBytesStreamed(status.getTotalBytesStreamed() + sample.cost().streamed());
    status.setMeasured(MeasuredSums.plus(status.getMeasured(), sample.measured()));
    stalls.analysed(apiId, emitter.wallClock());
    statuses.finish(apiId, before, status, sample.error() != null, timestamp);

    boolean changed = sample.analysis() != null && sample.analysis().changed();
    windows.add(apiId, sample.at(), new WindowAggregates.Sample(sample.payload(), sample.notModified(), changed,
        sample.error(), sample.size(), sample.latencyMs(), sample.changeIntervalMs(), sample.cost()),
        sample.measured(), timestamp);
    rules.onSample(apiId, registration, sample.at(), sample.analysis(), sample.size());
  }
}
