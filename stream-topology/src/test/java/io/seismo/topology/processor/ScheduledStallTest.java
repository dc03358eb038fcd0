package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Schedule;
import io.seismo.schemas.TimeRange;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stall detection follows the API's schedule: no STALLED while it is paused or outside its active hours. */
class ScheduledStallTest {

  private static final Instant START = Instant.parse("2026-11-27T16:58:00Z"); // a Friday

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestOutputTopic<String, Alert> alerts;

  @BeforeEach
  void start() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    registrations = topology.input(Topics.REGISTRATIONS);
    polls = topology.input(Topics.RAW_POLLS);
    alerts = topology.output(Topics.ALERTS);
  }

  @AfterEach
  void stop() {
    topology.close();
  }

  @Test
  void shouldNotRaiseStalledOverTheWeekendWhenTheApiIsPolledOnBusinessHoursOnly() {
    register(Schedule.newBuilder().setTimeZone("UTC").setActiveDays(List.of("MON", "TUE", "WED", "THU", "FRI"))
        .setActiveFrom("09:00").setActiveUntil("17:00").build());
    poll(START);
    topology.advanceWallClockTime(Duration.ofMinutes(30)); // 17:28 Friday: no poll since 16:58, but none was due
    topology.advanceWallClockTime(Duration.ofHours(60));  // Monday 05:28

    assertThat(alerts.readValuesToList()).isEmpty();

    topology.advanceWallClockTime(Duration.ofHours(4)); // Monday 09:28: due since 09:00 and not polled
    assertThat(alerts.readValuesToList()).extracting(Alert::getKind).containsExactly(AlertKind.STALLED);
  }

  @Test
  void shouldNotRaiseStalledWhilePausedAndRaiseItWhenThePauseEndsWithoutPolls() {
    long until = START.plus(Duration.ofHours(2)).toEpochMilli();
    register(Schedule.newBuilder().setPaused(List.of(new TimeRange(START.toEpochMilli(), until, "upstream migration"))).build());
    poll(START);
    topology.advanceWallClockTime(Duration.ofMinutes(110));
    assertThat(alerts.readValuesToList()).isEmpty();

    topology.advanceWallClockTime(Duration.ofMinutes(20)); // 10 minutes after the pause, nothing polled
    assertThat(alerts.readValuesToList()).extracting(Alert::getKind).containsExactly(AlertKind.STALLED);
  }

  private void register(Schedule schedule) {
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
        .setPollIntervalMs(60_000).setDesiredState(DesiredState.RUNNING).setUpdatedAt(START).setSchedule(schedule)
        .build(), START);
  }

  private void poll(Instant at) {
    byte[] body = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(1).setRequestedAt(at).setLatencyMs(10)
        .setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(body.length).setBodyBytes(body.length)
        .setBody(ByteBuffer.wrap(body)).build(), at);
  }
}
