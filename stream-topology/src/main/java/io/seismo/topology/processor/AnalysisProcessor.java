package io.seismo.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Measured;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Sightings;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.Source;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.MeasuredSums;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.analysis.WindowAggregates;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import io.seismo.topology.store.WriteBehindStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * What the poll and SSE analyses share: the stores, the document comparison and its {@link Change},
 * window aggregation, bounded logs, the status state machine with its alerts, and the wall-clock stall
 * check. Subclasses turn their raw record into samples.
 */
abstract class AnalysisProcessor<V> implements Processor<String, V, String, Object> {

  private static final int MAX_LOGGED_PATCH_CHARS = 64 * 1024;
  /** Key suffix, in the documents store, of an API's {@link Sightings} (mode BOTH). */
  static final String SIGHTINGS_SUFFIX = "#versions";
  private static final AvroSerde<Sightings> SIGHTINGS = AvroSerde.of(Sightings.class);

  protected final TopologyConfig config;
  private final DocumentAnalyzer analyzer;
  protected ProcessorContext<String, Object> context;
  protected final CachedTable<Registration> registrations;
  protected final CachedTable<ApiStatus> statuses;
  protected KeyValueStore<String, byte[]> documents;
  protected final ExecutionLog log = new ExecutionLog();
  protected KeyValueStore<String, Change> recentChanges;
  private final Map<TimeWindow, WindowStore<String, ApiMetrics>> windows = new EnumMap<>(TimeWindow.class);
  /** Windows updated since the last commit; the output key string is only built when they are emitted. */
  private final Map<WindowKey, ApiMetrics> pendingMetrics = new java.util.LinkedHashMap<>();

  private record WindowKey(String apiId, TimeWindow window, long start) {
    String text() {
      return apiId + "@" + window.label() + "@" + Instant.ofEpochMilli(start);
    }
  }
  /** APIs whose status changed since the last commit without a state transition (emitted per commit). */
  private final java.util.Set<String> pendingStatus = new java.util.LinkedHashSet<>();

  private final WindowCache windowCache;
  private final DocumentTrees trees;
  /** Wall-clock time each API's last sample was analysed at (see {@link AnalysisRouter}). */
  private final Map<String, Long> analysedAt;
  private CommitForwarder commitForwarder;
  private final FieldFrequencyRecorder fields;
  private final io.seismo.topology.change.RulesCache changeRules = new io.seismo.topology.change.RulesCache();
  /** The API's alert rules (see {@link RuleChecks}). */
  private final RuleChecks rules;
  /**
   * How long after its end a window is final (emitted once more with {@code final = true}): samples are
   * stamped when their request started, so a window still takes samples for about the ingest's call
   * timeout (30 s by default) after it ends.
   */
  static final long FINAL_GRACE_MS = 30_000;

  /** What the processors of one {@link AnalysisRouter} share: it initialises and clears them. */
  record Tables(CachedTable<Registration> registrations, CachedTable<ApiStatus> statuses, WindowCache windows,
                DocumentTrees trees, Map<String, Long> analysedAt, FieldFrequencyRecorder fields) {}

  AnalysisProcessor(TopologyConfig config, Tables tables) {
    this.config = config;
    this.analyzer = new DocumentAnalyzer(config.arrayDiffBudget());
    this.registrations = tables.registrations();
    this.statuses = tables.statuses();
    this.windowCache = tables.windows();
    this.trees = tables.trees();
    this.analysedAt = tables.analysedAt();
    this.fields = tables.fields();
    this.rules = new RuleChecks(registrations, statuses, windowCache, trees, this::alert);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    discardPending(); // (re)initialised: the stores may have been restored to older values
    this.documents = context.getStateStore(StoreNames.DOCUMENTS);
    log.init(context.getStateStore(StoreNames.EXECUTIONS));
    this.recentChanges = context.getStateStore(StoreNames.RECENT_CHANGES);
    for (TimeWindow window : TimeWindow.values()) {
      windows.put(window, context.getStateStore(StoreNames.metrics(window)));
    }
    this.commitForwarder = CommitForwarder.of(context);
    rules.init(context);
    WriteBehindStores.beforeFlush(context.getStateStore(StoreNames.STATUS), () -> commitForwarder.run(this::flushMetrics));
  }

  /**
   * Compares a payload with the API's last document — its parsed tree from {@link DocumentTrees}, else
   * parsed from the documents store, and only when the payload changed — and keeps the new tree.
   */
  protected DocumentAnalyzer.Analysis analyze(String apiId, byte[] payload, Registration registration, ApiStatus status) {
    String previousHash = status.getLastContentHash();
    Registration ruled = config.replay().map(replay -> replay.currentRules().get(apiId)).orElse(registration);
    DocumentAnalyzer.Analysis analysis = analyzer.analyze(payload, changeRules.of(apiId, ruled), previousHash,
        () -> previousTree(apiId, previousHash), status.getLastBodyHash());
    if (analysis.document() == null && !status.getLastPayloadJson()) { // same bytes as the last, which were not JSON
      analysis = new DocumentAnalyzer.Analysis(false, null, analysis.hash(), false, false, null, 0, 0,
          analysis.bodyHash(), null, analysis.changedPaths());
    } else if (analysis.document() != null) {
      status.setLastPayloadJson(analysis.json());
    }
    if (analysis.tree() != null) {
      trees.put(apiId, analysis.hash(), analysis.tree(), analysis.document().length);
    } else if (analysis.document() != null) {
      trees.remove(apiId); // not JSON
    }
    return analysis;
  }

  /** The version (content hash) of a document under the API's change rules, without comparing it. */
  protected String versionOf(String apiId, byte[] document, Registration registration) {
    Registration ruled = config.replay().map(replay -> replay.currentRules().get(apiId)).orElse(registration);
    return analyzer.analyze(document, changeRules.of(apiId, ruled), null, Optional::empty, null).hash();
  }

  private Optional<JsonNode> previousTree(String apiId, String hash) {
    JsonNode cached = trees.get(apiId, hash);
    if (cached != null) {
      return Optional.of(cached);
    }
    byte[] stored = documents.get(apiId);
    return stored == null ? Optional.empty() : CanonicalJson.parse(stored);
  }

  /** The API's status to change and put back: a copy of the stored one, or a new PENDING one. */
  protected ApiStatus statusOf(String apiId) {
    ApiStatus stored = statuses.get(apiId);
    return stored == null ? Statuses.pending(apiId, 0) : Statuses.copy(stored);
  }

  protected static void recordFailure(ApiStatus status, SampleError error) {
    status.setErrors(status.getErrors() + 1);
    status.setConsecutiveFailures(status.getConsecutiveFailures() + 1);
    status.setLastError(error);
  }

  /** Applies the state machine, raises transition alerts, stores and emits the status. */
  protected void finish(String apiId, ApiState before, ApiStatus status, boolean failed, long timestamp) {
    analysedAt.put(apiId, context.currentSystemTimeMs());
    if (before != ApiState.STOPPED) {
      status.setState(nextState(before, failed, status.getConsecutiveFailures()));
    }
    alertOnTransition(apiId, before, status, timestamp);
    statuses.put(apiId, status);
    if (before != status.getState()) {
      context.forward(new Record<>(apiId, (Object) status, timestamp), Sinks.STATUS); // transitions go out at once
      pendingStatus.remove(apiId);
    } else {
      pendingStatus.add(apiId);
    }
  }

  /** Mode BOTH: the API is polled and streamed, and the two are measured against each other. */
  protected static boolean observedBothWays(Registration registration) {
    return registration != null && registration.getMode() == ApiMode.BOTH;
  }

  /** Mode BOTH: the versions one side saw and the other not yet (kept beside the API's documents). */
  protected Sightings sightingsOf(String apiId) {
    byte[] stored = documents.get(apiId + SIGHTINGS_SUFFIX);
    return stored == null ? Sightings.newBuilder().build() : SIGHTINGS.deserializer().deserialize(StoreNames.DOCUMENTS, stored);
  }

  protected void keepSightings(String apiId, Sightings sightings) {
    documents.put(apiId + SIGHTINGS_SUFFIX, SIGHTINGS.serializer().serialize(StoreNames.DOCUMENTS, sightings));
  }

  /** Stores a status changed without a sample (a log entry): emitted with the others at the next commit. */
  protected void keep(String apiId, ApiStatus status) {
    statuses.put(apiId, status);
    pendingStatus.add(apiId);
  }

  /**
   * Keeps the document current after an analysed payload: stores it when new or changed, counts and
   * emits the change (with {@code source}), logs it and raises a CHANGED alert when asked to.
   */
  protected void recordDocument(String apiId, Source source, long sequence, Instant at, DocumentAnalyzer.Analysis analysis,
                                ApiStatus status, Registration registration, long timestamp) {
    fields.record(apiId, at.toEpochMilli(), analysis);
    status.setLastBodyHash(analysis.bodyHash());
    if (analysis.document() != null) {
      status.setLastDocumentBytes(analysis.documentBytes());
    }
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
    status.setLastChangeAt(at.toEpochMilli());
    Change change = Change.newBuilder()
        .setApiId(apiId)
        .setSource(source)
        .setAt(at)
        .setSequence(sequence)
        .setPatch(analysis.patch())
        .setOpCount(analysis.opCount())
        .setPatchBytes(analysis.patchBytes())
        .setDocumentBytes(analysis.documentBytes())
        .setPreviousHash(previousHash)
        .setNewHash(analysis.hash())
        .build();
    context.forward(new Record<>(apiId, (Object) change, timestamp), Sinks.CHANGES);
    recentChanges.put(RingKeys.CHANGES.key(apiId, status.getChanges()), logged(change));
    if (registration != null && registration.getAlertOnChange()) {
      alert(apiId, AlertKind.CHANGED, analysis.patch() == null ? "payload changed (not JSON)"
          : "document changed: " + analysis.opCount() + " operation(s), " + analysis.patchBytes() + " patch bytes",
          timestamp);
    }
  }

  /** Adds a sample and what it measured (either may be null) to the API's windows. */
  protected void aggregate(String apiId, long at, WindowAggregates.Sample sample, Measured measured, long timestamp) {
    for (Map.Entry<TimeWindow, WindowStore<String, ApiMetrics>> entry : windows.entrySet()) {
      TimeWindow window = entry.getKey();
      long start = window.startOf(at);
      ApiMetrics current = windowCache.get(apiId, window, start);
      if (current == null) {
        current = entry.getValue().fetch(apiId, start);
        if (current == null) {
          finishWindow(apiId, window, start - window.size().toMillis(), timestamp); // a new window: the one before is done
        }
      }
      ApiMetrics updated = current == null ? WindowAggregates.empty(apiId, window, start) : current;
      if (sample != null) {
        WindowAggregates.add(updated, sample);
      }
      if (measured != null) {
        MeasuredSums.addTo(updated.getMeasured(), measured);
      }
      entry.getValue().put(apiId, updated, start);
      windowCache.put(apiId, window, start, updated);
      pendingMetrics.put(new WindowKey(apiId, window, start), updated);
    }
  }

  /**
   * Emits the windows and statuses updated since the last commit, once each, so a busy API costs one
   * record per window and one status per commit instead of four per sample (state transitions are
   * emitted at once). Runs as the stores flush before each commit, so every window and status on the
   * output topics equals what the stores commit with it: after a clean close, a rebalance, a crash
   * (the transaction holding both is aborted) or the end of a replay alike.
   */
  private void flushMetrics(long now) {
    pendingMetrics.forEach((key, metrics) -> context.forward(new Record<>(key.text(), (Object) metrics, now), Sinks.METRICS));
    pendingMetrics.clear();
    for (String apiId : pendingStatus) {
      ApiStatus status = statuses.get(apiId); // the store's value: a deleted API stays deleted
      if (status != null) {
        context.forward(new Record<>(apiId, (Object) status, now), Sinks.STATUS);
      }
    }
    pendingStatus.clear();
  }

  /**
   * Forgets the windows and statuses waiting for the next commit: the processor was (re)initialised, its
   * stores restored to their last commit, and the input that updated them will be processed again.
   */
  private void discardPending() {
    pendingMetrics.clear();
    pendingStatus.clear();
  }

  /** The change as the log keeps it: a huge patch is left out (it is on the changes topic). */
  private static Change logged(Change change) {
    return change.getPatch() != null && change.getPatch().length() > MAX_LOGGED_PATCH_CHARS
        ? Change.newBuilder(change).setPatch(null).build()
        : change;
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

  /** When the FAILING alert of each API now FAILING was last raised (for reminders). */
  private final Map<String, Long> failingAlertedAt = new java.util.HashMap<>();

  private void alertOnTransition(String apiId, ApiState before, ApiStatus status, long timestamp) {
    ApiState after = status.getState();
    if (before == after) {
      remindIfStillFailing(apiId, status, timestamp);
      return;
    }
    if (after == ApiState.FAILING) {
      failingAlertedAt.put(apiId, timestamp);
      alert(apiId, AlertKind.FAILING, status.getConsecutiveFailures() + " consecutive failures, last: "
          + lastError(status), timestamp);
    } else {
      failingAlertedAt.remove(apiId);
      if (after == ApiState.RUNNING && (before == ApiState.FAILING || before == ApiState.STALLED)) {
        alert(apiId, AlertKind.RECOVERED, "recovered from " + before, timestamp);
      }
    }
  }

  /**
   * One outage, one FAILING alert: while it lasts, the alert is repeated only if a reminder period is
   * configured, at most once per period. When the last alert was raised is kept in memory only: after a
   * restart the next reminder comes one period after the first failing sample seen.
   */
  private void remindIfStillFailing(String apiId, ApiStatus status, long timestamp) {
    long period = config.failingReminder().toMillis();
    if (status.getState() != ApiState.FAILING || period <= 0) {
      failingAlertedAt.remove(apiId);
      return;
    }
    Long last = failingAlertedAt.putIfAbsent(apiId, timestamp);
    if (last != null && timestamp - last >= period) {
      failingAlertedAt.put(apiId, timestamp);
      alert(apiId, AlertKind.FAILING, "still failing: " + status.getConsecutiveFailures()
          + " consecutive failures, last: " + lastError(status), timestamp);
    }
  }

  private static String lastError(ApiStatus status) {
    return status.getLastError() == null ? "unknown" : status.getLastError().getMessage();
  }

  protected void alert(String apiId, AlertKind kind, String detail, long timestamp) {
    alert(apiId, kind, detail, null, null, timestamp);
  }

  private void alert(String apiId, AlertKind kind, String detail, String ruleId, String incidentId, long timestamp) {
    Alert alert = new Alert(apiId, kind, Instant.ofEpochMilli(timestamp), detail, ruleId, incidentId);
    context.forward(new Record<>(apiId, (Object) alert, timestamp), Sinks.ALERTS);
  }

  /** Evaluates the API's alert rules after a sample (its windows updated): see {@link RuleChecks}. */
  protected void checkRules(String apiId, Registration registration, long at, DocumentAnalyzer.Analysis analysis,
                            long payloadSize) {
    rules.onSample(apiId, registration, at, analysis, payloadSize);
  }

  /** The wall-clock tick: stalls, final windows, alert rules. */
  protected void tick(long now) {
    detectStalls(now);
    emitFinalWindows(now);
    rules.tick(now);
  }

  /**
   * Emits, once more and marked {@code final}, each API's latest window whose end is more than
   * {@link #FINAL_GRACE_MS} past (the window before a new one is finished when the new one starts, see
   * {@link #aggregate}). The stored window is marked final too, so it is emitted as final once; a sample
   * arriving later still updates it and the window goes out again, still final, with that sample.
   */
  private void emitFinalWindows(long now) {
    List<String> apis = new ArrayList<>();
    try (KeyValueIterator<String, ApiStatus> all = statuses.all()) {
      all.forEachRemaining(entry -> {
        if (entry.value.getLastSampleAt() != null) {
          apis.add(entry.key);
        }
      });
    }
    for (String apiId : apis) {
      ApiStatus status = statuses.get(apiId);
      for (TimeWindow window : TimeWindow.values()) {
        long start = window.startOf(status.getLastSampleAt());
        if (start + window.size().toMillis() + FINAL_GRACE_MS <= now) {
          finishWindow(apiId, window, start, now);
        }
      }
    }
  }

  /** Marks the window final and emits it, unless it is absent or already final. */
  private void finishWindow(String apiId, TimeWindow window, long start, long timestamp) {
    ApiMetrics metrics = windowCache.get(apiId, window, start);
    if (metrics == null) {
      metrics = windows.get(window).fetch(apiId, start);
    }
    if (metrics == null || metrics.getFinal$()) {
      return;
    }
    metrics.setFinal$(true);
    windows.get(window).put(apiId, metrics, start);
    if (windowCache.get(apiId, window, start) != null) {
      windowCache.put(apiId, window, start, metrics);
    }
    WindowKey key = new WindowKey(apiId, window, start);
    pendingMetrics.remove(key); // this record supersedes the pending one
    context.forward(new Record<>(key.text(), (Object) metrics, timestamp), Sinks.METRICS);
  }

  /** SSE-only APIs report their own silence as heartbeat gaps; the poll-interval stall rule does not apply. */
  private boolean streamedOnly(String apiId) {
    Registration registration = registrations.get(apiId);
    return registration != null && registration.getMode() == io.seismo.schemas.ApiMode.SSE;
  }

  /**
   * Wall-clock check: an API that should be sampled but was not within k × the gap the ingest keeps
   * before its next poll is STALLED. A failing API is in the ingest's backoff (its interval doubled per
   * consecutive failure, capped at the ingest's max backoff; a 429 / 503 Retry-After up to that cap),
   * so it stays FAILING while the ingest keeps polling it at that pace; only when even that pace is not
   * kept is it STALLED. Each gap also holds the requests' own time (the last latency).
   */
  protected void detectStalls(long now) {
    List<KeyValue<String, ApiStatus>> stalled = new ArrayList<>();
    try (KeyValueIterator<String, ApiStatus> all = statuses.all()) {
      while (all.hasNext()) {
        KeyValue<String, ApiStatus> entry = all.next();
        ApiStatus status = entry.value;
        if (status.getState() == ApiState.STOPPED || status.getState() == ApiState.STALLED
            || status.getPollIntervalMs() <= 0 || streamedOnly(entry.key)) {
          continue;
        }
        // a registration change (updatedAt) restarts the clock: the ingest restarts the job with the new
        // interval, and the last sample may be far older than the new interval allows
        long reference = status.getLastSampleAt() != null
            ? Math.max(status.getLastSampleAt(), status.getUpdatedAt()) : status.getUpdatedAt();
        // and from when the last sample was analysed here: sample times are the ingest host's clock
        reference = Math.max(reference, analysedAt.getOrDefault(entry.key, Long.MIN_VALUE));
        if (overdue(entry.key, status, reference, now)) {
          stalled.add(entry);
        }
      }
    }
    for (KeyValue<String, ApiStatus> entry : stalled) {
      ApiStatus status = Statuses.copy(entry.value);
      ApiState before = status.getState();
      status.setState(ApiState.STALLED);
      status.setUpdatedAt(now);
      statuses.put(entry.key, status);
      failingAlertedAt.remove(entry.key);
      context.forward(new Record<>(entry.key, (Object) status, now), Sinks.STATUS);
      alert(entry.key, AlertKind.STALLED, "no sample for more than " + Duration.ofMillis(stallAllowance(entry.value))
          + " (interval " + Duration.ofMillis(status.getPollIntervalMs())
          + (before == ApiState.FAILING ? ", in backoff after " + status.getConsecutiveFailures() + " failures" : "")
          + ")", now);
    }
  }

  /**
   * True when the API has gone unsampled longer than its allowance after {@code reference}. With a
   * schedule ({@code Registration.schedule}) the allowance counts from when the next poll was due — the
   * next cron time, or the first active moment (out of paused windows and active hours) one interval
   * after the reference — and an API is never STALLED while its schedule is inactive.
   */
  private boolean overdue(String apiId, ApiStatus status, long reference, long now) {
    long allowance = stallAllowance(status);
    Registration registration = registrations.get(apiId);
    io.seismo.schemas.schedule.ScheduleSpec schedule = schedule(registration);
    if (schedule.always()) {
      return now - reference > allowance;
    }
    Instant at = Instant.ofEpochMilli(now);
    if (!schedule.active(at)) {
      return false;
    }
    long expected = Math.max(1, allowance / config.stallFactor() - Math.max(0, status.getLastLatencyMs()));
    Optional<Instant> due = schedule.nextPoll(Instant.ofEpochMilli(reference + (schedule.cron() ? 1 : expected)));
    return due.isPresent() && now - due.get().toEpochMilli() > allowance - (schedule.cron() ? 0 : expected);
  }

  /** The registration's schedule; one that does not parse (refused at registration) counts as none. */
  static io.seismo.schemas.schedule.ScheduleSpec schedule(Registration registration) {
    try {
      return io.seismo.schemas.schedule.ScheduleSpec.of(registration == null ? null : registration.getSchedule());
    } catch (io.seismo.schemas.schedule.InvalidScheduleException e) {
      return io.seismo.schemas.schedule.ScheduleSpec.ALWAYS;
    }
  }

  /** How long after its last sample an API may stay unsampled before it is STALLED. */
  private long stallAllowance(ApiStatus status) {
    long interval = status.getPollIntervalMs();
    long expected = interval;
    int failures = status.getConsecutiveFailures();
    if (failures > 0) {
      long cap = Math.max(config.ingestMaxBackoff().toMillis(), interval);
      int http = status.getLastHttpStatus();
      expected = http == 429 || http == 503 ? cap : Math.min(cap, interval << Math.min(failures - 1, 20));
    }
    long latency = Math.max(0, status.getLastLatencyMs());
    return Math.max((expected + latency) * config.stallFactor(), config.stallCheck().toMillis());
  }

}
