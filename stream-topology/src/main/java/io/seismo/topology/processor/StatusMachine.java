package io.seismo.topology.processor;

import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.SampleError;
import io.seismo.topology.config.TopologyConfig;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An API's state machine (PENDING, RUNNING, FAILING, STALLED): applies each transition, raises its
 * FAILING, RECOVERED or STALLED alert (and FAILING reminders), stores the status and emits it — a
 * transition at once, any other change once per commit ({@link #flush}).
 */
final class StatusMachine {

  private final TopologyConfig config;
  private final CachedTable<ApiStatus> statuses;
  private final Emitter emitter;
  /** APIs whose status changed since the last commit without a state transition (emitted per commit). */
  private final Set<String> pending = new LinkedHashSet<>();
  /** When the FAILING alert of each API now FAILING was last raised (for reminders). */
  private final Map<String, Long> failingAlertedAt = new HashMap<>();

  StatusMachine(TopologyConfig config, CachedTable<ApiStatus> statuses, Emitter emitter) {
    this.config = config;
    this.statuses = statuses;
    this.emitter = emitter;
  }

  /** The API's status to change and put back: a copy of the stored one, or a new PENDING one. */
  ApiStatus statusOf(String apiId) {
    ApiStatus stored = statuses.get(apiId);
    return stored == null ? Statuses.pending(apiId, 0) : Statuses.copy(stored);
  }

  static void recordFailure(ApiStatus status, SampleError error) {
    status.setErrors(status.getErrors() + 1);
    status.setConsecutiveFailures(status.getConsecutiveFailures() + 1);
    status.setLastError(error);
  }

  static void recordSuccess(ApiStatus status) {
    status.setConsecutiveFailures(0);
  }

  /** After a sample: applies the state machine, raises transition alerts, stores and emits the status. */
  void finish(String apiId, ApiState before, ApiStatus status, boolean failed, long timestamp) {
    if (before != ApiState.STOPPED) {
      status.setState(nextState(before, failed, status.getConsecutiveFailures()));
    }
    alertOnTransition(apiId, before, status, timestamp);
    statuses.put(apiId, status);
    if (before != status.getState()) {
      emitter.emit(Sinks.STATUS, apiId, status, timestamp); // transitions go out at once
      pending.remove(apiId);
    } else {
      pending.add(apiId);
    }
  }

  /** Stores a status changed without a sample (a log entry): emitted with the others at the next commit. */
  void keep(String apiId, ApiStatus status) {
    statuses.put(apiId, status);
    pending.add(apiId);
  }

  /** Makes the API, whose status the store holds as {@code stored}, STALLED at {@code now}, with its alert. */
  void stall(String apiId, ApiStatus stored, long now, String detail) {
    ApiStatus status = Statuses.copy(stored);
    status.setState(ApiState.STALLED);
    status.setUpdatedAt(now);
    statuses.put(apiId, status);
    failingAlertedAt.remove(apiId);
    emitter.emit(Sinks.STATUS, apiId, status, now);
    emitter.alert(apiId, AlertKind.STALLED, detail, now);
  }

  /** Emits, once each, the statuses changed since the last commit without a transition. */
  void flush(long now) {
    for (String apiId : pending) {
      ApiStatus status = statuses.get(apiId); // the store's value: a deleted API stays deleted
      if (status != null) {
        emitter.emit(Sinks.STATUS, apiId, status, now);
      }
    }
    pending.clear();
  }

  /** Forgets the statuses waiting for the next commit: the store was restored, their input comes again. */
  void discardPending() {
    pending.clear();
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
      remindIfStillFailing(apiId, status, timestamp);
      return;
    }
    if (after == ApiState.FAILING) {
      failingAlertedAt.put(apiId, timestamp);
      emitter.alert(apiId, AlertKind.FAILING, status.getConsecutiveFailures() + " consecutive failures, last: "
          + lastError(status), timestamp);
    } else {
      failingAlertedAt.remove(apiId);
      if (after == ApiState.RUNNING && (before == ApiState.FAILING || before == ApiState.STALLED)) {
        emitter.alert(apiId, AlertKind.RECOVERED, "recovered from " + before, timestamp);
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
      emitter.alert(apiId, AlertKind.FAILING, "still failing: " + status.getConsecutiveFailures()
          + " consecutive failures, last: " + lastError(status), timestamp);
    }
  }

  private static String lastError(ApiStatus status) {
    return status.getLastError() == null ? "unknown" : status.getLastError().getMessage();
  }
}
