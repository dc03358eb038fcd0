package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream that is down for an hour, polled with the ingest's real backoff cadence (interval doubled
 * per consecutive failure, capped at SEISMO_INGEST_MAX_BACKOFF = 5 min, +5 % jitter at its worst, each
 * failed request taking the 5 s connect timeout) while the wall clock advances second by second, so the
 * stall check runs as it does live.
 */
class FailingAlertsTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");
  private static final long INTERVAL_MS = 10_000;
  private static final long MAX_BACKOFF_MS = Duration.ofMinutes(5).toMillis();
  private static final long LATENCY_MS = 5_000;

  private TopologyFixture topology;
  private TestInputTopic<String, PollResult> polls;
  private TestOutputTopic<String, Alert> alerts;
  private TestOutputTopic<String, ApiStatus> status;
  private long sequence;
  private long now; // ms since START, the driver's wall clock

  private void start(Map<String, String> settings) throws Exception {
    topology = TopologyFixture.start(START, settings);
    TestInputTopic<String, Registration> registrations = topology.input(Topics.REGISTRATIONS);
    polls = topology.input(Topics.RAW_POLLS);
    alerts = topology.output(Topics.ALERTS);
    status = topology.output(Topics.STATUS);
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
        .setPollIntervalMs(INTERVAL_MS).setDesiredState(DesiredState.RUNNING).build(), START);
  }

  @AfterEach
  void tearDown() {
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  void shouldRaiseOneFailingAndOneRecoveredWhenUpstreamIsDownForAnHour() throws Exception {
    start(Map.of());
    long requestedAt = poll(0, false, 12);
    requestedAt = failFor(requestedAt, Duration.ofHours(1));
    for (int i = 0; i < 10; i++) { // back, polled every interval again
      requestedAt = poll(requestedAt, false, 12) + INTERVAL_MS;
    }

    assertThat(alerts.readValuesToList()).extracting(Alert::getKind)
        .containsExactly(AlertKind.FAILING, AlertKind.RECOVERED);
    assertThat(status.readValuesToList()).extracting(ApiStatus::getState).doesNotContain(ApiState.STALLED);
  }

  @Test
  void shouldRemindWhileFailingWhenReminderIsConfigured() throws Exception {
    start(Map.of("SEISMO_TOPOLOGY_FAILING_REMINDER", "20m"));
    long requestedAt = poll(0, false, 12);
    requestedAt = failFor(requestedAt, Duration.ofHours(1));
    poll(requestedAt, false, 12);

    List<Alert> raised = alerts.readValuesToList();
    assertThat(raised).extracting(Alert::getKind).containsExactly(AlertKind.FAILING, AlertKind.FAILING,
        AlertKind.FAILING, AlertKind.RECOVERED);
    assertThat(raised.get(1).getDetail()).startsWith("still failing");
  }

  @Test
  void shouldStillMarkStalledWhenFailingApiIsNoLongerPolledAtAll() throws Exception {
    start(Map.of());
    long requestedAt = poll(0, false, 12);
    failFor(requestedAt, Duration.ofMinutes(30)); // in backoff at the 5 min cap by now
    alerts.readValuesToList();

    advanceTo(now + 3 * MAX_BACKOFF_MS + 2 * LATENCY_MS + 10_000); // the ingest stopped polling it

    assertThat(alerts.readValuesToList()).extracting(Alert::getKind).containsExactly(AlertKind.STALLED);
  }

  /** Polls failing with the ingest's cadence for {@code duration}; returns when the next poll starts. */
  private long failFor(long requestedAt, Duration duration) {
    long end = requestedAt + duration.toMillis();
    int failures = 0;
    long next = requestedAt + 12 + INTERVAL_MS;
    while (next < end) {
      failures++;
      long resultAt = poll(next, true, LATENCY_MS);
      next = resultAt + worstJitter(backoff(failures));
    }
    return next;
  }

  /** PollJob.backoff of the ingest: the interval doubled per consecutive failure, capped. */
  private static long backoff(int consecutiveFailures) {
    int exponent = Math.min(consecutiveFailures - 1, 20);
    return Math.max(Math.min(MAX_BACKOFF_MS, INTERVAL_MS << exponent), INTERVAL_MS);
  }

  private static long worstJitter(long millis) {
    return millis + millis / 20; // PollJob adds up to +5 %
  }

  /** One poll requested at {@code requestedAt}, produced when it completed; returns when that was. */
  private long poll(long requestedAt, boolean failed, long latencyMs) {
    long resultAt = requestedAt + latencyMs;
    advanceTo(resultAt);
    PollResult.Builder poll = PollResult.newBuilder().setApiId("api").setSequence(++sequence)
        .setRequestedAt(START.plusMillis(requestedAt)).setLatencyMs(latencyMs);
    if (failed) {
      poll.setError(new SampleError(ErrorCategory.CONNECT, "connect timed out"));
    } else {
      byte[] body = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
      poll.setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(body.length).setBodyBytes(body.length)
          .setBody(ByteBuffer.wrap(body));
    }
    polls.pipeInput("api", poll.build(), START.plusMillis(resultAt));
    return resultAt;
  }

  /** Advances the wall clock second by second, running the stall check as a live instance would. */
  private void advanceTo(long target) {
    while (now < target) {
      long step = Math.min(1_000, target - now);
      now += step;
      topology.advanceWallClockTime(Duration.ofMillis(step));
    }
  }
}
