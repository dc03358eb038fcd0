package io.seismo.api.registration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.schemas.AlertRule;
import io.seismo.schemas.Registration;
import io.seismo.schemas.RuleKind;
import io.seismo.schemas.Schedule;
import io.seismo.schemas.TimeRange;
import io.seismo.schemas.schedule.ScheduleSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The alert rules, silences and schedule of a registration: their JSON shapes (the field names of the
 * Avro records {@code AlertRule}, {@code TimeRange}, {@code Schedule}, times as ISO-8601), their
 * validation with an error per bad field, and their conversion both ways.
 */
public final class AlertRules {

  public static final int MAX_RULES = 20;
  public static final int MAX_RANGES = 20;
  private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Set<String> OPS = Set.of("==", "!=", ">", ">=", "<", "<=", "exists", "missing", "matches");
  private static final Set<String> WINDOWS = Set.of("1m", "1h", "1d");
  private static final ObjectMapper JSON = new ObjectMapper();

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

  static void validate(RegistrationRequest request, List<FieldError> errors) {
    if (request.rules() != null) {
      if (request.rules().size() > MAX_RULES) {
        errors.add(new FieldError("rules", "must have at most " + MAX_RULES + " rules, has " + request.rules().size()));
      } else {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < request.rules().size(); i++) {
          validateRule("rules[" + i + "]", request.rules().get(i), ids, errors);
        }
      }
    }
    ranges("silences", request.silences(), errors);
    if (request.schedule() != null) {
      ScheduleRequest schedule = request.schedule();
      List<FieldError> rangeErrors = new ArrayList<>();
      ranges("schedule.paused", schedule.paused(), rangeErrors);
      errors.addAll(rangeErrors);
      if (rangeErrors.isEmpty()) {
        for (String problem : ScheduleSpec.problems(toSchedule(schedule))) {
          int colon = problem.indexOf(':');
          errors.add(new FieldError("schedule." + problem.substring(0, colon), problem.substring(colon + 1).strip()));
        }
      }
    }
  }

  private static void validateRule(String field, RuleRequest rule, Set<String> ids, List<FieldError> errors) {
    if (rule == null) {
      errors.add(new FieldError(field, "must be an object"));
      return;
    }
    if (rule.id() == null || !RULE_ID.matcher(rule.id()).matches()) {
      errors.add(new FieldError(field + ".id", "is required: 1-63 characters of a-z, 0-9, '.', '_' or '-'"));
    } else if (!ids.add(rule.id())) {
      errors.add(new FieldError(field + ".id", "'" + rule.id() + "' is used by another rule; rule ids are unique"));
    }
    if (rule.kind() == null || rule.kind() == RuleKind.UNKNOWN) {
      errors.add(new FieldError(field + ".kind", "is required: one of LATENCY_P95, ERROR_RATE, PAYLOAD_SIZE, NO_CHANGE,"
          + " CHANGE_RATE, POINTER"));
      return;
    }
    nonNegative(field + ".forMs", rule.forMs(), errors);
    nonNegative(field + ".reminderMs", rule.reminderMs(), errors);
    if (rule.minSamples() != null && rule.minSamples() < 1) {
      errors.add(new FieldError(field + ".minSamples", "must be at least 1"));
    }
    switch (rule.kind()) {
      case LATENCY_P95, ERROR_RATE, CHANGE_RATE -> {
        if (rule.window() != null && !WINDOWS.contains(rule.window())) {
          errors.add(new FieldError(field + ".window", "must be 1m, 1h or 1d"));
        }
        if (rule.above() == null || rule.above() < 0) {
          errors.add(new FieldError(field + ".above", "is required for " + rule.kind() + ": a threshold of at least 0"
              + (rule.kind() == RuleKind.ERROR_RATE ? " (percent)" : rule.kind() == RuleKind.LATENCY_P95 ? " (ms)" : "")));
        }
      }
      case PAYLOAD_SIZE -> {
        if (rule.above() == null && rule.below() == null && rule.jumpPercent() == null) {
          errors.add(new FieldError(field, "PAYLOAD_SIZE needs above, below or jumpPercent"));
        }
        if (rule.jumpPercent() != null && rule.jumpPercent() <= 0) {
          errors.add(new FieldError(field + ".jumpPercent", "must be above 0"));
        }
      }
      case NO_CHANGE -> {
        if (rule.periodMs() == null || rule.periodMs() < 1_000) {
          errors.add(new FieldError(field + ".periodMs", "is required for NO_CHANGE: at least 1000 (ms)"));
        }
      }
      case POINTER -> validatePointer(field, rule, errors);
      default -> { }
    }
  }

  private static void validatePointer(String field, RuleRequest rule, List<FieldError> errors) {
    if (rule.pointer() == null || !(rule.pointer().isEmpty() || rule.pointer().startsWith("/"))
        || rule.pointer().length() > RegistrationValidator.MAX_JSON_POINTER_LENGTH) {
      errors.add(new FieldError(field + ".pointer", "is required for POINTER: an RFC 6901 JSON Pointer (empty or"
          + " starting with '/')"));
    }
    if (rule.op() == null || !OPS.contains(rule.op())) {
      errors.add(new FieldError(field + ".op", "must be one of ==, !=, >, >=, <, <=, exists, missing, matches"));
      return;
    }
    if (rule.op().equals("exists") || rule.op().equals("missing")) {
      return;
    }
    if (rule.value() == null) {
      errors.add(new FieldError(field + ".value", "is required for op " + rule.op()));
    } else if (rule.op().equals("matches")) {
      try {
        Pattern.compile(rule.value());
      } catch (PatternSyntaxException e) {
        errors.add(new FieldError(field + ".value", "is not a regular expression: " + e.getDescription()));
      }
    } else {
      try {
        JSON.readTree(rule.value());
      } catch (JsonProcessingException e) {
        errors.add(new FieldError(field + ".value", "must be JSON text: a string in quotes (\"\\\"ok\\\"\"), a number,"
            + " true, false or null"));
      }
    }
  }

  private static void nonNegative(String field, Long value, List<FieldError> errors) {
    if (value != null && value < 0) {
      errors.add(new FieldError(field, "must be at least 0 (ms)"));
    }
  }

  private static void ranges(String field, List<TimeRangeRequest> ranges, List<FieldError> errors) {
    if (ranges == null) {
      return;
    }
    if (ranges.size() > MAX_RANGES) {
      errors.add(new FieldError(field, "must have at most " + MAX_RANGES + " entries, has " + ranges.size()));
      return;
    }
    for (int i = 0; i < ranges.size(); i++) {
      TimeRangeRequest range = ranges.get(i);
      String at = field + "[" + i + "]";
      if (range == null) {
        errors.add(new FieldError(at, "must be an object {from, until, reason}"));
        continue;
      }
      Instant from = instant(at + ".from", range.from(), errors);
      Instant until = instant(at + ".until", range.until(), errors);
      if (from != null && until != null && !until.isAfter(from)) {
        errors.add(new FieldError(at + ".until", "must be after from"));
      }
    }
  }

  private static Instant instant(String field, String text, List<FieldError> errors) {
    if (text == null) {
      errors.add(new FieldError(field, "is required: an ISO-8601 instant such as 2026-12-24T18:00:00Z"));
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-12-24T18:00:00Z"));
      return null;
    }
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
