package io.seismo.schemas.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.schemas.Schedule;
import io.seismo.schemas.TimeRange;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {

  // 2026-11-27 is a Friday
  private static final Instant FRIDAY_EVENING_PARIS = Instant.parse("2026-11-27T17:30:00Z"); // 18:30 in Paris

  @Test
  void shouldWaitForMondayMorningWhenOutsideBusinessHoursInTheTimeZone() {
    ScheduleSpec spec = ScheduleSpec.of(Schedule.newBuilder().setTimeZone("Europe/Paris")
        .setActiveDays(List.of("MON", "TUE", "WED", "THU", "FRI")).setActiveFrom("09:00").setActiveUntil("18:00").build());

    assertThat(spec.active(FRIDAY_EVENING_PARIS)).isFalse();
    assertThat(spec.nextActive(FRIDAY_EVENING_PARIS)).contains(Instant.parse("2026-11-30T08:00:00Z"));
    assertThat(spec.active(Instant.parse("2026-11-30T08:00:00Z"))).isTrue();
    assertThat(spec.describe(FRIDAY_EVENING_PARIS)).isEqualTo("outside active hours until 2026-11-30T08:00:00Z");
  }

  @Test
  void shouldPollAtTheNextCronTimeWhenACronExpressionIsGiven() {
    ScheduleSpec spec = ScheduleSpec.of(Schedule.newBuilder().setCron("*/15 9-17 * * MON-FRI").setTimeZone("UTC").build());

    assertThat(spec.nextPoll(Instant.parse("2026-11-27T09:01:00Z"))).contains(Instant.parse("2026-11-27T09:15:00Z"));
    assertThat(spec.nextPoll(Instant.parse("2026-11-27T09:15:00Z"))).contains(Instant.parse("2026-11-27T09:15:00Z"));
    assertThat(spec.nextPoll(Instant.parse("2026-11-27T18:00:00Z"))).contains(Instant.parse("2026-11-30T09:00:00Z"));
  }

  @Test
  void shouldSkipPausedWindowsWhenLookingForTheNextPoll() {
    long from = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
    long until = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
    ScheduleSpec spec = ScheduleSpec.of(Schedule.newBuilder().setPaused(List.of(new TimeRange(from, until, "migration"))).build());

    assertThat(spec.nextPoll(Instant.parse("2026-11-27T11:00:00Z"))).contains(Instant.ofEpochMilli(until));
    assertThat(spec.describe(Instant.parse("2026-11-27T11:00:00Z"))).isEqualTo("paused until 2026-11-27T12:00:00Z (migration)");
  }

  @Test
  void shouldNameEveryBadFieldWhenTheScheduleIsInvalid() {
    Schedule bad = Schedule.newBuilder().setCron("every minute").setTimeZone("Mars/Olympus").setActiveDays(List.of("FUNDAY"))
        .setActiveFrom("9am").setActiveUntil("18:00").build();

    assertThatThrownBy(() -> ScheduleSpec.of(bad)).isInstanceOf(InvalidScheduleException.class)
        .satisfies(e -> assertThat(((InvalidScheduleException) e).problems()).hasSize(4)
            .anyMatch(p -> p.startsWith("cron:")).anyMatch(p -> p.startsWith("timeZone:"))
            .anyMatch(p -> p.startsWith("activeDays:")).anyMatch(p -> p.startsWith("activeFrom:")));
  }
}
