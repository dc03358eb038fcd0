package io.seismo.schemas.schedule;

import com.cronutils.model.time.ExecutionTime;
import io.seismo.schemas.Schedule;
import io.seismo.schemas.TimeRange;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When an API may be polled: a registration's {@link Schedule} made usable — a Unix cron expression
 * (parsed by cron-utils, a well-kept library, rather than by hand), active hours on given days in a
 * time zone, and paused windows. Shared by the ingest (when to poll), the topology (stall detection
 * counts only time the API should have been polled) and the control API (validation, the status).
 * Pure: no clock; every method takes the time it answers for.
 */
public final class ScheduleSpec {

  /** No schedule: always active, polled every interval. */
  public static final ScheduleSpec ALWAYS = new ScheduleSpec(null, ZoneId.of("UTC"), EnumSet.allOf(DayOfWeek.class),
      null, null, List.of());

  /** How far ahead the next active time is looked for; beyond, a schedule counts as never active. */
  private static final Duration HORIZON = Duration.ofDays(400);
  private static final int MAX_STEPS = 2_000;

  private final ExecutionTime cron;
  private final ZoneId zone;
  private final Set<DayOfWeek> days;
  private final LocalTime from;
  private final LocalTime until;
  private final List<TimeRange> paused;

  ScheduleSpec(ExecutionTime cron, ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime until,
                       List<TimeRange> paused) {
    this.cron = cron;
    this.zone = zone;
    this.days = days;
    this.from = from;
    this.until = until;
    this.paused = paused;
  }

  /** The registration's schedule; null is {@link #ALWAYS}. Throws {@link InvalidScheduleException} naming the bad field. */
  public static ScheduleSpec of(Schedule schedule) {
    if (schedule == null) {
      return ALWAYS;
    }
    List<String> errors = new ArrayList<>();
    ScheduleSpec spec = ScheduleParser.parse(schedule, errors);
    if (!errors.isEmpty()) {
      throw new InvalidScheduleException(errors);
    }
    return spec;
  }

  /** The problems of a schedule, as "field message" strings (empty when valid). */
  public static List<String> problems(Schedule schedule) {
    List<String> errors = new ArrayList<>();
    if (schedule != null) {
      ScheduleParser.parse(schedule, errors);
    }
    return errors;
  }

  public boolean always() {
    return this == ALWAYS;
  }

  public boolean cron() {
    return cron != null;
  }

  /** True when polling is allowed at {@code t}: not in a paused window and within the active hours. */
  public boolean active(Instant t) {
    return pauseAt(t).isEmpty() && withinHours(t);
  }

  /** The paused window holding {@code t}, if any. */
  public Optional<TimeRange> pauseAt(Instant t) {
    long ms = t.toEpochMilli();
    return paused.stream().filter(r -> r.getFrom() <= ms && ms < r.getUntil()).findFirst();
  }

  /** The first instant at or after {@code t} when polling is allowed, within about a year; else empty. */
  public Optional<Instant> nextActive(Instant t) {
    Instant limit = t.plus(HORIZON);
    Instant at = t;
    for (int step = 0; step < MAX_STEPS && !at.isAfter(limit); step++) {
      Optional<TimeRange> pause = pauseAt(at);
      if (pause.isPresent()) {
        at = Instant.ofEpochMilli(pause.get().getUntil());
      } else if (!withinHours(at)) {
        at = nextHoursStart(at);
      } else {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }

  /**
   * When the next poll may run, at the earliest at {@code notBefore}: with a cron expression, its first
   * fire time at or after it that is active; without, the first active instant at or after it.
   */
  public Optional<Instant> nextPoll(Instant notBefore) {
    if (cron == null) {
      return nextActive(notBefore);
    }
    Instant limit = notBefore.plus(HORIZON);
    Instant at = notBefore.minusMillis(1);
    for (int step = 0; step < MAX_STEPS; step++) {
      Optional<ZonedDateTime> next = cron.nextExecution(at.atZone(zone));
      if (next.isEmpty() || next.get().toInstant().isAfter(limit)) {
        return Optional.empty();
      }
      Instant fire = next.get().toInstant();
      if (active(fire)) {
        return Optional.of(fire);
      }
      Optional<Instant> active = nextActive(fire);
      if (active.isEmpty()) {
        return Optional.empty();
      }
      at = active.get().minusMillis(1);
    }
    return Optional.empty();
  }

  /** A sentence for people: "active", "paused until …", "outside active hours until …". */
  public String describe(Instant now) {
    Optional<TimeRange> pause = pauseAt(now);
    if (pause.isPresent()) {
      return "paused until " + Instant.ofEpochMilli(pause.get().getUntil())
          + (pause.get().getReason() == null ? "" : " (" + pause.get().getReason() + ")");
    }
    if (!withinHours(now)) {
      return nextActive(now).map(at -> "outside active hours until " + at).orElse("not active within a year");
    }
    return "active";
  }

  private boolean withinHours(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    LocalTime time = local.toLocalTime();
    DayOfWeek day = local.getDayOfWeek();
    if (from == null) {
      return days.contains(day);
    }
    if (from.isBefore(until)) {
      return days.contains(day) && !time.isBefore(from) && time.isBefore(until);
    }
    // wraps past midnight: from (on an active day) to until the next morning
    return (days.contains(day) && !time.isBefore(from)) || (days.contains(day.minus(1)) && time.isBefore(until));
  }

  /** The next start of active hours after {@code t} (t being outside them). */
  private Instant nextHoursStart(Instant t) {
    LocalDate date = t.atZone(zone).toLocalDate();
    LocalTime start = from == null ? LocalTime.MIDNIGHT : from;
    for (int d = 0; d <= 8; d++) {
      LocalDate candidate = date.plusDays(d);
      if (!days.contains(candidate.getDayOfWeek())) {
        continue;
      }
      Instant at = candidate.atTime(start).atZone(zone).toInstant();
      if (at.isAfter(t)) {
        return at;
      }
    }
    return t.plus(HORIZON).plusSeconds(1); // no active day at all: beyond the horizon
  }
}
