package io.seismo.topology.processor;

import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.ChangeLog;
import io.seismo.schemas.Execution;
import io.seismo.schemas.ExecutionLog;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Source;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.analysis.TransferCost;
import io.seismo.topology.analysis.WindowAggregates;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

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
public final class PollAnalysisProcessor implements Processor<String, PollResult, String, Object> {

  static final int EXECUTIONS_KEPT = 50;
  static final int CHANGES_KEPT = 20;
  private static final int MAX_LOGGED_PATCH_CHARS = 64 * 1024;

  private final TopologyConfig config;
  private final DocumentAnalyzer analyzer;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, Registration> registrations;
  private KeyValueStore<String, ApiStatus> statuses;
  private KeyValueStore<String, byte[]> documents;
  private KeyValueStore<String, ExecutionLog> executions;
  private KeyValueStore<String, ChangeLog> recentChanges;
  private final Map<TimeWindow, WindowStore<String, ApiMetrics>> windows = new EnumMap<>(TimeWindow.class);

  public PollAnalysisProcessor(TopologyConfig config) {
    this.config = config;
    this.analyzer = new DocumentAnalyzer(config.arrayDiffBudget());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.registrations = context.getStateStore(StoreNames.REGISTRATIONS);
    this.statuses = context.getStateStore(StoreNames.STATUS);
    this.documents = context.getStateStore(StoreNames.DOCUMENTS);
    this.executions = context.getStateStore(StoreNames.EXECUTIONS);
    this.recentChanges = context.getStateStore(StoreNames.RECENT_CHANGES);
    for (TimeWindow window : TimeWindow.values()) {
      windows.put(window, context.getStateStore(StoreNames.metrics(window)));
    }
    if (config.replay().isEmpty()) {
      context.schedule(config.stallCheck(), PunctuationType.WALL_CLOCK_TIME, this::detectStalls);
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
    ApiStatus status = Optional.ofNullable(statuses.get(apiId)).orElseGet(() -> Statuses.pending(apiId, 0));
    ApiState before = status.getState();
    long at = poll.getRequestedAt().toEpochMilli();
    long sinceLastSample = status.getLastSampleAt() == null ? 0 : at - status.getLastSampleAt().toEpochMilli();
    long transferred = poll.getHeaderBytes() + poll.getWireBodyBytes();
    boolean failed = poll.getError() != null && !poll.getNotModified();

    DocumentAnalyzer.Analysis analysis = null;
    TransferCost.Cost cost;
    Long changeInterval = null;
    if (failed) {
      status.setErrors(status.getErrors() + 1);
      status.setConsecutiveFailures(status.getConsecutiveFailures() + 1);
      status.setLastError(poll.getError());
      cost = TransferCost.ofFailure(transferred);
    } else if (poll.getNotModified()) {
      status.setConsecutiveFailures(0);
      status.setNotModified(status.getNotModified() + 1);
      cost = TransferCost.of(poll.getHeaderBytes(), status.getLastWireBodyBytes(), true, null, sinceLastSample);
    } else {
      status.setConsecutiveFailures(0);
      analysis = analyzer.analyze(bytes(poll.getBody()), registration == null ? null : registration.getJsonPointer(),
          status.getLastContentHash(), documents.get(apiId));
      if (analysis.changed() && status.getLastChangeAt() != null) {
        changeInterval = at - status.getLastChangeAt().toEpochMilli();
      }
      recordPayload(apiId, poll, analysis, status, registration, record.timestamp());
      cost = TransferCost.of(poll.getHeaderBytes(), poll.getWireBodyBytes(), false, analysis, sinceLastSample);
    }

    status.setSamples(status.getSamples() + 1);
    status.setLastSampleAt(poll.getRequestedAt());
    status.setLastHttpStatus(poll.getHttpStatus());
    status.setLastLatencyMs(poll.getLatencyMs());
    status.setTotalWireBytes(status.getTotalWireBytes() + transferred);
    status.setTotalBytesPolled(status.getTotalBytesPolled() + cost.polled());
    status.setTotalBytesConditional(status.getTotalBytesConditional() + cost.conditional());
    status.setTotalBytesStreamed(status.getTotalBytesStreamed() + cost.streamed());
    status.setUpdatedAt(poll.getRequestedAt());
    if (before != ApiState.STOPPED) {
      status.setState(nextState(before, failed, status.getConsecutiveFailures()));
    }
    alertOnTransition(apiId, before, status, record.timestamp());
    statuses.put(apiId, status);
    context.forward(new Record<>(apiId, (Object) status, record.timestamp()), Sinks.STATUS);

    WindowAggregates.Sample sample = new WindowAggregates.Sample(analysis != null, poll.getNotModified(),
        analysis != null && analysis.changed(), failed ? poll.getError() : null, poll.getBodyBytes(),
        poll.getLatencyMs(), changeInterval, cost);
    aggregate(apiId, at, sample, record.timestamp());
    logExecution(apiId, poll, registration, analysis);
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
    status.setLastDocumentBytes(analysis.documentBytes());
    if (!analysis.first() && !analysis.changed()) {
      return; // fast path: same hash, nothing else to do
    }
    if (analysis.json()) {
      documents.put(apiId, analysis.document());
    } else {
      documents.delete(apiId);
    }
    String previousHash = status.getLastContentHash();
    status.setLastContentHash(analysis.hash());
    if (!analysis.changed()) {
      return; // the first document is a baseline, not a change
    }
    status.setChanges(status.getChanges() + 1);
    status.setLastChangeAt(poll.getRequestedAt());
    Change change = Change.newBuilder()
        .setApiId(apiId)
        .setSource(Source.POLL)
        .setAt(poll.getRequestedAt())
        .setSequence(poll.getSequence())
        .setPatch(analysis.patch())
        .setOpCount(analysis.opCount())
        .setPatchBytes(analysis.patchBytes())
        .setDocumentBytes(analysis.documentBytes())
        .setPreviousHash(previousHash)
        .setNewHash(analysis.hash())
        .build();
    context.forward(new Record<>(apiId, (Object) change, timestamp), Sinks.CHANGES);
    logChange(apiId, change);
    if (registration != null && registration.getAlertOnChange()) {
      alert(apiId, AlertKind.CHANGED, analysis.patch() == null ? "payload changed (not JSON)"
          : "document changed: " + analysis.opCount() + " operation(s), " + analysis.patchBytes() + " patch bytes",
          timestamp);
    }
  }

  private void aggregate(String apiId, long at, WindowAggregates.Sample sample, long timestamp) {
    for (Map.Entry<TimeWindow, WindowStore<String, ApiMetrics>> entry : windows.entrySet()) {
      TimeWindow window = entry.getKey();
      long start = window.startOf(at);
      ApiMetrics current = entry.getValue().fetch(apiId, start);
      ApiMetrics updated = WindowAggregates.add(
          current == null ? WindowAggregates.empty(apiId, window, start) : current, sample);
      entry.getValue().put(apiId, updated, start);
      context.forward(new Record<>(apiId + "@" + window.label() + "@" + Instant.ofEpochMilli(start),
          (Object) updated, timestamp), Sinks.METRICS);
    }
  }

  private void logExecution(String apiId, PollResult poll, Registration registration,
                            DocumentAnalyzer.Analysis analysis) {
    Execution execution = Execution.newBuilder()
        .setSequence(poll.getSequence())
        .setAt(poll.getRequestedAt())
        .setUrl(registration == null ? null : registration.getUrl())
        .setConditional(poll.getNotModified())
        .setHttpStatus(poll.getHttpStatus())
        .setLatencyMs(poll.getLatencyMs())
        .setHeaderBytes(poll.getHeaderBytes())
        .setWireBodyBytes(poll.getWireBodyBytes())
        .setBodyBytes(poll.getBodyBytes())
        .setContentType(poll.getContentType())
        .setChanged(analysis != null && analysis.changed())
        .setJson(analysis == null || analysis.json())
        .setError(poll.getNotModified() ? null : poll.getError())
        .build();
    ExecutionLog log = executions.get(apiId);
    List<Execution> entries = prepend(execution, log == null ? List.of() : log.getEntries(), EXECUTIONS_KEPT);
    executions.put(apiId, new ExecutionLog(apiId, entries));
  }

  private void logChange(String apiId, Change change) {
    Change logged = change.getPatch() != null && change.getPatch().length() > MAX_LOGGED_PATCH_CHARS
        ? Change.newBuilder(change).setPatch(null).build()
        : change;
    ChangeLog log = recentChanges.get(apiId);
    recentChanges.put(apiId, new ChangeLog(apiId, prepend(logged, log == null ? List.of() : log.getEntries(), CHANGES_KEPT)));
  }

  private static <T> List<T> prepend(T first, List<T> rest, int limit) {
    List<T> list = new ArrayList<>(Math.min(limit, rest.size() + 1));
    list.add(first);
    for (int i = 0; i < rest.size() && list.size() < limit; i++) {
      list.add(rest.get(i));
    }
    return list;
  }

  /** A success makes an API RUNNING; N consecutive failures make it FAILING; fewer leave it as it was. */
  private ApiState nextState(ApiState before, boolean failed, int consecutiveFailures) {
    if (!failed) {
      return ApiState.RUNNING;
    }
    if (consecutiveFailures >= config.failingAfter()) {
      return ApiState.FAILING;
    }
    return before == ApiState.PENDING || before == ApiState.STALLED ? ApiState.RUNNING : before;
  }

  private void alertOnTransition(String apiId, ApiState before, ApiStatus status, long timestamp) {
    ApiState after = status.getState();
    if (before == after) {
      return;
    }
    if (after == ApiState.FAILING) {
      alert(apiId, AlertKind.FAILING, status.getConsecutiveFailures() + " consecutive failures, last: "
          + (status.getLastError() == null ? "unknown" : status.getLastError().getMessage()), timestamp);
    } else if (after == ApiState.RUNNING && (before == ApiState.FAILING || before == ApiState.STALLED)) {
      alert(apiId, AlertKind.RECOVERED, "recovered from " + before, timestamp);
    }
  }

  private void alert(String apiId, AlertKind kind, String detail, long timestamp) {
    Alert alert = new Alert(apiId, kind, Instant.ofEpochMilli(timestamp), detail);
    context.forward(new Record<>(apiId, (Object) alert, timestamp), Sinks.ALERTS);
  }

  /** Wall-clock check: an API that should be sampled but was not within k × its interval is STALLED. */
  private void detectStalls(long now) {
    List<KeyValue<String, ApiStatus>> stalled = new ArrayList<>();
    try (KeyValueIterator<String, ApiStatus> all = statuses.all()) {
      while (all.hasNext()) {
        KeyValue<String, ApiStatus> entry = all.next();
        ApiStatus status = entry.value;
        if (status.getState() == ApiState.STOPPED || status.getState() == ApiState.STALLED
            || status.getPollIntervalMs() <= 0) {
          continue;
        }
        Instant reference = status.getLastSampleAt() != null ? status.getLastSampleAt() : status.getUpdatedAt();
        long allowed = Math.max(status.getPollIntervalMs() * config.stallFactor(), config.stallCheck().toMillis());
        if (now - reference.toEpochMilli() > allowed) {
          stalled.add(entry);
        }
      }
    }
    for (KeyValue<String, ApiStatus> entry : stalled) {
      ApiStatus status = entry.value;
      status.setState(ApiState.STALLED);
      status.setUpdatedAt(Instant.ofEpochMilli(now));
      statuses.put(entry.key, status);
      context.forward(new Record<>(entry.key, (Object) status, now), Sinks.STATUS);
      alert(entry.key, AlertKind.STALLED, "no sample for more than " + Duration.ofMillis(
          status.getPollIntervalMs() * config.stallFactor()) + " (interval " + Duration.ofMillis(status.getPollIntervalMs()) + ")", now);
    }
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
