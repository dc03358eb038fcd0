package io.seismo.ingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.DesiredState;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollJobTest {

  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  @Test
  void shouldCapRetryAfterAtMaxBackoffWhenUpstreamAsksForMore() {
    PollJob job = new PollJob(Registration.newBuilder().setApiId("api").setUrl("https://example.org/")
        .setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build(), Duration.ofSeconds(1), MAX_BACKOFF, 1);
    PollResult tooMany = PollResult.newBuilder().setApiId("api").setSequence(1).setRequestedAt(Instant.EPOCH)
        .setLatencyMs(3).setHttpStatus(429).setError(new SampleError(ErrorCategory.HTTP_STATUS, "HTTP 429")).build();

    Duration delay = job.onResult(new HttpPoller.Polled(tooMany, Optional.of(Duration.ofHours(6))));

    // the topology counts on a failing API being polled at least every max backoff (+5 % jitter)
    assertThat(delay.toMillis() <= MAX_BACKOFF.toMillis() * 105 / 100).as("delay %s", delay).isTrue();
  }

  @Test
  void shouldWaitUntilTheActiveHoursAndCronTimesWhenTheRegistrationHasASchedule() {
    Instant fridayEvening = Instant.parse("2026-11-27T18:30:00Z");
    PollJob business = new PollJob(Registration.newBuilder().setApiId("api").setUrl("https://example.org/")
        .setPollIntervalMs(60_000).setSchedule(Schedule.newBuilder().setTimeZone("UTC")
            .setActiveDays(List.of("MON", "TUE", "WED", "THU", "FRI")).setActiveFrom("09:00")
            .setActiveUntil("18:00").build()).build(), Duration.ofSeconds(1), MAX_BACKOFF, 1);
    PollJob cron = new PollJob(Registration.newBuilder().setApiId("api").setUrl("https://example.org/")
        .setPollIntervalMs(60_000).setSchedule(Schedule.newBuilder().setCron("30 9 * * *").build())
        .build(), Duration.ofSeconds(1), MAX_BACKOFF, 1);

    assertThat(business.scheduled(fridayEvening, Duration.ofMinutes(1)))
        .isEqualTo(Duration.between(fridayEvening, Instant.parse("2026-11-30T09:00:00Z")));
    assertThat(business.scheduled(Instant.parse("2026-11-30T10:00:00Z"), Duration.ofMinutes(1)))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(cron.scheduled(Instant.parse("2026-11-30T09:30:00.200Z"), Duration.ofMinutes(1)))
        .isEqualTo(Duration.between(Instant.parse("2026-11-30T09:30:00.200Z"), Instant.parse("2026-12-01T09:30:00Z")));
  }
}
