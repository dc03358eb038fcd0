package io.seismo.ingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.DesiredState;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import java.time.Duration;
import java.time.Instant;
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
}
