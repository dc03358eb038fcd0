package io.seismo.topology.rules;

import io.seismo.schemas.AlertRule;
import io.seismo.schemas.Incident;
import io.seismo.schemas.IncidentState;

/**
 * The life of one rule's incident, without flapping: an incident opens when the condition has held for
 * the rule's {@code forMs} (at once with 0), stays open while it holds or has been clear for less than
 * {@code forMs}, and closes (RECOVERED) once it has been clear that long. While open, its THRESHOLD alert
 * is repeated every {@code reminderMs} (if set). Inside a silence no alert is raised; an incident opened
 * in one is announced when the silence ends if it is still open, and one that was never announced closes
 * silently. Pure: the caller passes the time, stores the returned state and raises the returned alert.
 */
public final class IncidentTracker {

  private IncidentTracker() {}

  /** What to raise, if anything. */
  public enum Raise { NONE, OPENED, REMINDER, RECOVERED }

  /** The new state of the incident and the alert to raise. */
  public record Step(Incident incident, Raise raise) {}

  /** A rule's state before its first evaluation. */
  public static Incident initial(String apiId, AlertRule rule, long now) {
    return Incident.newBuilder().setApiId(apiId).setRuleId(rule.getId()).setKind(rule.getKind())
        .setState(IncidentState.OK).setSince(now).setEvaluatedAt(now).build();
  }

  /**
   * Applies an evaluation ({@code result}; a null {@code holds} keeps the last known condition) at
   * {@code now}. Called on every sample and on the wall-clock tick (with an unknown result) so that
   * {@code forMs} and reminders run out without new samples.
   */
  public static Step step(Incident before, AlertRule rule, RuleEvaluator.Result result, long now, boolean silenced) {
    Incident incident = Incident.newBuilder(before).build();
    if (result.holds() != null) {
      incident.setHolds(result.holds());
      incident.setValue(result.value());
      incident.setDetail(result.detail());
      incident.setEvaluatedAt(now);
    }
    boolean holds = Boolean.TRUE.equals(incident.getHolds());
    long forMs = Math.max(0, rule.getForMs());
    Raise raise = Raise.NONE;
    switch (incident.getState()) {
      case OK -> {
        if (holds) {
          incident.setState(IncidentState.PENDING);
          incident.setSince(now);
          if (forMs == 0) {
            raise = open(incident, now);
          }
        }
      }
      case PENDING -> {
        if (!holds) {
          incident.setState(IncidentState.OK);
          incident.setSince(now);
        } else if (now - incident.getSince() >= forMs) {
          raise = open(incident, now);
        }
      }
      case OPEN -> {
        if (!holds) {
          incident.setState(IncidentState.RECOVERING);
          incident.setSince(now);
          if (forMs == 0) {
            raise = close(incident, now);
          }
        } else if (!incident.getAnnounced()) {
          raise = Raise.OPENED; // opened in a silence, still open
        } else if (rule.getReminderMs() > 0 && now - incident.getLastAlertAt() >= rule.getReminderMs()) {
          raise = Raise.REMINDER;
        }
      }
      case RECOVERING -> {
        if (holds) {
          incident.setState(IncidentState.OPEN); // not cleared long enough: the same incident goes on
          incident.setSince(now);
        } else if (now - incident.getSince() >= forMs) {
          raise = close(incident, now);
        }
      }
    }
    if (raise == Raise.NONE) {
      return new Step(incident, raise);
    }
    if (silenced) {
      if (raise == Raise.RECOVERED) {
        incident.setAnnounced(false); // closed within a silence: its end is not announced either
      }
      return new Step(incident, Raise.NONE);
    }
    if (raise == Raise.RECOVERED && !before.getAnnounced()) {
      return new Step(incident, Raise.NONE); // never announced, so nobody waits for its end
    }
    if (raise != Raise.RECOVERED) {
      incident.setAnnounced(true);
    }
    incident.setLastAlertAt(now);
    return new Step(incident, raise);
  }

  private static Raise open(Incident incident, long now) {
    incident.setState(IncidentState.OPEN);
    incident.setSince(now);
    incident.setOpenedAt(now);
    incident.setAnnounced(false);
    return Raise.OPENED;
  }

  private static Raise close(Incident incident, long now) {
    incident.setState(IncidentState.OK);
    incident.setSince(now);
    return Raise.RECOVERED;
  }

  /** apiId/ruleId/opened-at: one id for the alerts of one incident. */
  public static String incidentId(Incident incident) {
    return incident.getApiId() + "/" + incident.getRuleId() + "/" + incident.getOpenedAt();
  }
}
