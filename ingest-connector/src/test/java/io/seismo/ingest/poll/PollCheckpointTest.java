package io.seismo.ingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.DesiredState;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollCheckpointTest {

  private static final Registration REGISTRATION = Registration.newBuilder().setApiId("api").setUrl("https://example.org/")
      .setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build();

  @Test
  void shouldContinueWithTheNextSequenceAndTheSameValidatorsWhenAJobResumesFromACheckpoint() {
    PollJob first = new PollJob(REGISTRATION, Duration.ofSeconds(1), Duration.ofMinutes(5), 100);
    PollCheckpoint checkpoint = null;
    List<PollResult> answers = List.of(
        answer(200, "\"a\"", "Mon, 01 Dec 2026 10:00:00 GMT", false, null),
        answer(304, null, null, true, null),
        answer(503, "\"x\"", null, false, new SampleError(ErrorCategory.HTTP_STATUS, "HTTP 503")));
    for (PollResult template : answers) {
      HttpPoller.PollRequest request = first.nextRequest();
      PollResult result = PollResult.newBuilder(template).setSequence(request.sequence()).build();
      first.onResult(new HttpPoller.Polled(result, Optional.empty()));
      checkpoint = PollCheckpoint.after(checkpoint, result);
    }
    HttpPoller.PollRequest expected = first.nextRequest();

    HttpPoller.PollRequest resumed = new PollJob(REGISTRATION, Duration.ofSeconds(1), Duration.ofMinutes(5), checkpoint)
        .nextRequest();

    assertThat(checkpoint).isEqualTo(new PollCheckpoint(102, "\"a\"", "Mon, 01 Dec 2026 10:00:00 GMT"));
    assertThat(resumed).isEqualTo(expected); // sequence 103, If-None-Match "a", If-Modified-Since as the job would
  }

  private static PollResult answer(int status, String etag, String lastModified, boolean notModified, SampleError error) {
    return PollResult.newBuilder().setApiId("api").setSequence(0).setRequestedAt(Instant.EPOCH).setLatencyMs(1)
        .setHttpStatus(status).setEtag(etag).setLastModified(lastModified).setNotModified(notModified).setError(error)
        .build();
  }
}
