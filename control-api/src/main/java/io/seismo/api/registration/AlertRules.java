package io.seismo.api.registration;

import io.seismo.schemas.AlertRule;
import io.seismo.schemas.Registration;
import io.seismo.schemas.RuleKind;
import io.seismo.schemas.Schedule;
import io.seismo.schemas.TimeRange;
import java.time.Instant;
import java.util.List;

/**
 * The alert rules, silences and schedule of a registration: their JSON shapes (the field names of the
 * Avro records {@code AlertRule}, {@code TimeRange}, {@code Schedule}, times as ISO-8601) and their
 * conversion both ways.
 */
public final class AlertRules {

  private AlertRules() {}

  /** One rule as JSON. */
  public record RuleRequest(String id, RuleKind kind, String window, Double above, Double below, Double jumpPercent,
                            Long periodMs, String pointer, String op, String value, Boolean length,
                            Boolean alertWhenMatches, Integer minSamples, Long forMs, Long reminderMs) {

    static RuleRequest of(AlertRule r) {
      return new RuleRequest(r.getId(), r.getKind(), r.getWindow(), r.getAbove(), r.getBelow(), r.getJumpPercent(),
          r.getPeriodMs(), r.getPointer(), r.getOp(), r.getValue(), r.getLength(), r.getAlertWhenMatches(),
          r.getMinSamples(), r.getForMs(), r.getReminderMs());
    }
  }

  /** A maintenance window or a paused window as JSON: ISO-8601 instants. */
  public record TimeRangeRequest(String from, String until, String reason) {
    static TimeRangeRequest of(TimeRange r) {
      return new TimeRangeRequest(Instant.ofEpochMilli(r.getFrom()).toString(), Instant.ofEpochMilli(r.getUntil()).toString(),
          r.getReason());
    }
  }

  /** A schedule as JSON. */
  public record ScheduleRequest(String cron, String timeZone, List<String> activeDays, String activeFrom,
                                String activeUntil, List<TimeRangeRequest> paused) {
    static ScheduleRequest of(Schedule s) {
      return s == null ? null : new ScheduleRequest(s.getCron(), s.getTimeZone(), List.copyOf(s.getActiveDays()),
          s.getActiveFrom(), s.getActiveUntil(), s.getPaused().stream().map(TimeRangeRequest::of).toList());
    }
  }

  /** The rules as a read registration shows them. */
  public static List<RuleRequest> rules(Registration registration) {
    return registration.getRules().stream().map(RuleRequest::of).toList();
  }

  public static List<TimeRangeRequest> silences(Registration registration) {
    return registration.getSilences().stream().map(TimeRangeRequest::of).toList();
  }

  public static ScheduleRequest schedule(Registration registration) {
    return ScheduleRequest.of(registration.getSchedule());
  }

  static List<AlertRule> toRules(List<RuleRequest> rules) {
    if (rules == null) {
      return List.of();
    }
    return rules.stream().map(r -> AlertRule.newBuilder()
        .setId(r.id()).setKind(r.kind()).setWindow(r.window() == null && windowed(r.kind()) ? "1m" : r.window())
        .setAbove(r.above()).setBelow(r.below()).setJumpPercent(r.jumpPercent()).setPeriodMs(r.periodMs())
        .setPointer(r.pointer()).setOp(r.op()).setValue(r.value()).setLength(Boolean.TRUE.equals(r.length()))
        .setAlertWhenMatches(Boolean.TRUE.equals(r.alertWhenMatches()))
        .setMinSamples(r.minSamples() == null ? 1 : r.minSamples())
        .setForMs(r.forMs() == null ? 0 : r.forMs()).setReminderMs(r.reminderMs() == null ? 0 : r.reminderMs())
        .build()).toList();
  }

  private static boolean windowed(RuleKind kind) {
    return kind == RuleKind.LATENCY_P95 || kind == RuleKind.ERROR_RATE || kind == RuleKind.CHANGE_RATE;
  }

  static List<TimeRange> toRanges(List<TimeRangeRequest> ranges) {
    if (ranges == null) {
      return List.of();
    }
    return ranges.stream().map(r -> new TimeRange(Instant.parse(r.from()).toEpochMilli(),
        Instant.parse(r.until()).toEpochMilli(), r.reason())).toList();
  }

  static Schedule toSchedule(ScheduleRequest s) {
    if (s == null) {
      return null;
    }
    return Schedule.newBuilder().setCron(s.cron()).setTimeZone(s.timeZone() == null ? "UTC" : s.timeZone())
        .setActiveDays(s.activeDays() == null ? List.of() : List.copyOf(s.activeDays()))
        .setActiveFrom(s.activeFrom()).setActiveUntil(s.activeUntil()).setPaused(toRanges(s.paused())).build();
  }
}
