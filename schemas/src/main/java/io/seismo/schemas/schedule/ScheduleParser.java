package io.seismo.schemas.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.seismo.schemas.Schedule;
import io.seismo.schemas.TimeRange;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a registration's {@link Schedule} into a {@link ScheduleSpec}, collecting a "field: message" per problem. */
final class ScheduleParser {

  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private ScheduleParser() {}

  /** The spec of the schedule, valid only if no error was added to {@code errors}. */
  static ScheduleSpec parse(Schedule schedule, List<String> errors) {
    ZoneId zone = ZoneId.of("UTC");
    try {
      zone = ZoneId.of(schedule.getTimeZone());
    } catch (DateTimeException e) {
      errors.add("timeZone: is not an IANA time zone (e.g. Europe/Paris, UTC)");
    }
    ExecutionTime cron = null;
    if (schedule.getCron() != null) {
      try {
        Cron parsed = UNIX.parse(schedule.getCron());
        parsed.validate();
        cron = ExecutionTime.forCron(parsed);
      } catch (IllegalArgumentException e) {
        errors.add("cron: is not a Unix cron expression of 5 fields (minute hour day-of-month month day-of-week): "
            + e.getMessage());
      }
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String day : schedule.getActiveDays()) {
      DayOfWeek parsed = day(day);
      if (parsed == null) {
        errors.add("activeDays: '" + day + "' is not one of MON, TUE, WED, THU, FRI, SAT, SUN");
      } else {
        days.add(parsed);
      }
    }
    if (days.isEmpty()) {
      days = EnumSet.allOf(DayOfWeek.class);
    }
    LocalTime from = time("activeFrom", schedule.getActiveFrom(), errors);
    LocalTime until = time("activeUntil", schedule.getActiveUntil(), errors);
    if ((from == null) != (until == null) && errors.isEmpty()) {
      errors.add("activeFrom: and activeUntil must be given together");
    } else if (from != null && from.equals(until)) {
      errors.add("activeUntil: must differ from activeFrom (leave both out for the whole day)");
    }
    for (int i = 0; i < schedule.getPaused().size(); i++) {
      TimeRange range = schedule.getPaused().get(i);
      if (range.getUntil() <= range.getFrom()) {
        errors.add("paused[" + i + "]: until must be after from");
      }
    }
    return new ScheduleSpec(cron, zone, days, from, until, List.copyOf(schedule.getPaused()));
  }

  private static DayOfWeek day(String text) {
    String upper = text == null ? "" : text.toUpperCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().startsWith(upper) && upper.length() == 3) {
        return day;
      }
    }
    return null;
  }

  private static LocalTime time(String field, String text, List<String> errors) {
    if (text == null) {
      return null;
    }
    try {
      if (!text.matches("\\d\\d:\\d\\d")) {
        throw new DateTimeParseException("not HH:mm", text, 0);
      }
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      errors.add(field + ": must be a local time HH:mm (00:00 to 23:59)");
      return null;
    }
  }
}
