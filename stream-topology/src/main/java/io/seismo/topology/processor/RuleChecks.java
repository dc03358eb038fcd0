package io.seismo.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.AlertRule;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Incident;
import io.seismo.schemas.IncidentState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.RuleKind;
import io.seismo.schemas.TimeRange;
import io.seismo.schemas.schedule.ScheduleSpec;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.rules.IncidentTracker;
import io.seismo.topology.rules.RuleEvaluator;
import io.seismo.topology.store.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Evaluates each API's alert rules ({@code Registration.rules}) in the topology: on every sample, against
 * the window aggregates that sample just updated (the records the REST API shows), its payload and its
 * document; and on the wall-clock tick, for NO_CHANGE and for the minimum durations and reminders that
 * run out without samples. Each rule's state ({@link Incident}) is kept in the incidents store, keyed
 * {@code apiId NUL ruleId}; its transitions raise THRESHOLD and RECOVERED alerts (see {@link IncidentTracker}).
 */
final class RuleChecks {

  static final char SEPARATOR = '\u0000';

  /** Raises an alert: kind THRESHOLD or RECOVERED, detail, rule id, incident id, time. */
  interface Alerts {
    void raise(String apiId, AlertKind kind, String detail, String ruleId, String incidentId, long at);
  }

  private final CachedTable<Registration> registrations;
  private final CachedTable<ApiStatus> statuses;
  private final WindowCache windows;
  private final DocumentTrees trees;
  private final Alerts alerts;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, Incident> incidents;
  private KeyValueStore<String, byte[]> documents;

  RuleChecks(CachedTable<Registration> registrations, CachedTable<ApiStatus> statuses, WindowCache windows,
             DocumentTrees trees, Alerts alerts) {
    this.registrations = registrations;
    this.statuses = statuses;
    this.windows = windows;
    this.trees = trees;
    this.alerts = alerts;
  }

  void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.incidents = context.getStateStore(StoreNames.INCIDENTS);
    this.documents = context.getStateStore(StoreNames.DOCUMENTS);
  }

  static String key(String apiId, String ruleId) {
    return apiId + SEPARATOR + ruleId;
  }

  /**
   * After a sample of {@code apiId} taken at {@code at}: {@code analysis} is null for a sample without a
   * payload, {@code payloadSize} the payload's size.
   */
  void onSample(String apiId, Registration registration, long at, DocumentAnalyzer.Analysis analysis, long payloadSize) {
    if (registration == null || registration.getRules().isEmpty()) {
      return;
    }
    long now = context.currentSystemTimeMs();
    boolean silenced = silenced(registration, now);
    for (AlertRule rule : registration.getRules()) {
      String key = key(apiId, rule.getId());
      Incident before = incidents.get(key);
      if (before == null || before.getKind() != rule.getKind()) {
        before = IncidentTracker.initial(apiId, rule, now);
      }
      RuleEvaluator.Result result = switch (rule.getKind()) {
        case LATENCY_P95, ERROR_RATE, CHANGE_RATE -> {
          TimeWindow window = window(rule);
          yield window == null ? new RuleEvaluator.Result(null, null, "")
              : RuleEvaluator.window(rule, windows.get(apiId, window, window.startOf(at)));
        }
        case PAYLOAD_SIZE -> analysis == null ? new RuleEvaluator.Result(null, null, "")
            : RuleEvaluator.payloadSize(rule, payloadSize, before.getPrevious());
        case NO_CHANGE -> noChange(apiId, registration, rule, now);
        case POINTER -> analysis != null && (analysis.first() || analysis.changed() || before.getHolds() == null)
            ? RuleEvaluator.pointer(rule, document(apiId, analysis)) : new RuleEvaluator.Result(null, null, "");
        default -> new RuleEvaluator.Result(null, null, "");
      };
      apply(before, rule, result, now, silenced);
      if (rule.getKind() == RuleKind.PAYLOAD_SIZE && analysis != null) {
        Incident stored = incidents.get(key);
        if (stored != null) {
          stored.setPrevious((double) payloadSize);
          incidents.put(key, stored);
        }
      }
    }
  }

  /** The wall-clock tick: NO_CHANGE, minimum durations, reminders, silences that ended; forgets removed rules. */
  void tick(long now) {
    List<KeyValue<String, Incident>> all = new ArrayList<>();
    try (KeyValueIterator<String, Incident> iterator = incidents.all()) {
      iterator.forEachRemaining(all::add);
    }
    for (KeyValue<String, Incident> entry : all) {
      Incident incident = entry.value;
      Registration registration = registrations.get(incident.getApiId());
      AlertRule rule = registration == null ? null : registration.getRules().stream()
          .filter(r -> r.getId().equals(incident.getRuleId())).findFirst().orElse(null);
      if (rule == null || rule.getKind() != incident.getKind()) {
        incidents.delete(entry.key); // the API or the rule is gone: so is its incident, without an alert
        continue;
      }
      RuleEvaluator.Result result = rule.getKind() == RuleKind.NO_CHANGE
          ? noChange(incident.getApiId(), registration, rule, now) : new RuleEvaluator.Result(null, null, "");
      apply(incident, rule, result, now, silenced(registration, now));
    }
  }

  private void apply(Incident before, AlertRule rule, RuleEvaluator.Result result, long now, boolean silenced) {
    IncidentTracker.Step step = IncidentTracker.step(before, rule, result, now, silenced);
    Incident after = step.incident();
    String key = key(after.getApiId(), after.getRuleId());
    if (!after.equals(before) || incidents.get(key) == null) {
      incidents.put(key, after);
    }
    String id = IncidentTracker.incidentId(after);
    switch (step.raise()) {
      case OPENED -> alerts.raise(after.getApiId(), AlertKind.THRESHOLD,
          "rule " + rule.getId() + " (" + rule.getKind() + "): " + after.getDetail(), rule.getId(), id, now);
      case REMINDER -> alerts.raise(after.getApiId(), AlertKind.THRESHOLD,
          "still: rule " + rule.getId() + " (" + rule.getKind() + "): " + after.getDetail(), rule.getId(), id, now);
      case RECOVERED -> alerts.raise(after.getApiId(), AlertKind.RECOVERED,
          "rule " + rule.getId() + " (" + rule.getKind() + ") clear after "
              + Duration.ofMillis(now - Objects.requireNonNullElse(after.getOpenedAt(), now))
              + ": " + after.getDetail(), rule.getId(), id, now);
      case NONE -> { }
    }
  }

  private RuleEvaluator.Result noChange(String apiId, Registration registration, AlertRule rule, long now) {
    ApiStatus status = statuses.get(apiId);
    ScheduleSpec schedule = StallDetector.schedule(registration);
    if (status == null || status.getLastSampleAt() == null || !schedule.active(Instant.ofEpochMilli(now))
        || registration.getDesiredState() == DesiredState.STOPPED) {
      return new RuleEvaluator.Result(null, null, ""); // not observed, paused or stopped: cannot tell
    }
    long reference = registration.getUpdatedAt().toEpochMilli();
    if (status.getLastChangeAt() != null) {
      reference = Math.max(reference, status.getLastChangeAt());
    }
    return RuleEvaluator.noChange(rule, Math.max(0, now - reference));
  }

  private JsonNode document(String apiId, DocumentAnalyzer.Analysis analysis) {
    if (!analysis.json()) {
      return null;
    }
    if (analysis.tree() != null) {
      return analysis.tree();
    }
    JsonNode cached = trees.get(apiId, analysis.hash());
    if (cached != null) {
      return cached;
    }
    byte[] stored = documents.get(apiId);
    return stored == null ? null : CanonicalJson.parse(stored).orElse(null);
  }

  private static TimeWindow window(AlertRule rule) {
    try {
      return TimeWindow.parse(rule.getWindow() == null ? "1m" : rule.getWindow());
    } catch (IllegalArgumentException e) {
      return null; // refused at registration
    }
  }

  /** True inside one of the registration's maintenance windows. */
  static boolean silenced(Registration registration, long now) {
    for (TimeRange silence : registration.getSilences()) {
      if (silence.getFrom() <= now && now < silence.getUntil()) {
        return true;
      }
    }
    return false;
  }

  /** The API's incidents (every rule's state), for the REST API. */
  static boolean open(Incident incident) {
    return incident.getState() == IncidentState.OPEN || incident.getState() == IncidentState.RECOVERING;
  }
}
