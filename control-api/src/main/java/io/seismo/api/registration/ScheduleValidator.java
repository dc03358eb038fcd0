package io.seismo.api.registration;

import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.registration.AlertRules.ScheduleRequest;
import io.seismo.api.registration.AlertRules.TimeRangeRequest;
import io.seismo.schemas.schedule.ScheduleSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Checks the alert silences and the alert schedule of a registration request, an error per bad field. */
final class ScheduleValidator {

  static final int MAX_RANGES = 20;

  private ScheduleValidator() {}

  static void validate(List<TimeRangeRequest> silences, ScheduleRequest schedule, List<FieldError> errors) {
    ranges("silences", silences, errors);
    if (schedule != null) {
      List<FieldError> rangeErrors = new ArrayList<>();
      ranges("schedule.paused", schedule.paused(), rangeErrors);
      errors.addAll(rangeErrors);
      if (rangeErrors.isEmpty()) {
        for (String problem : ScheduleSpec.problems(AlertRules.toSchedule(schedule))) {
          int colon = problem.indexOf(':');
          errors.add(new FieldError("schedule." + problem.substring(0, colon), problem.substring(colon + 1).strip()));
        }
      }
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
}
