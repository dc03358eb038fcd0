package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.Alert;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
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

/** When the wall-clock stall check may call an API STALLED, as a user changing its registration sees it. */
class StallClockTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

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
  void shouldNotRaiseStalledWhenTheIntervalIsShortenedLongAfterTheLastSample() {
    register(Duration.ofHours(1), START);
    poll(START);
    topology.advanceWallClockTime(Duration.ofMinutes(10)); // hourly: not due yet, rightly not stalled

    Instant changed = START.plus(Duration.ofMinutes(10));
    register(Duration.ofSeconds(10), changed);        // the ingest restarts the job and polls at once;
    topology.advanceWallClockTime(Duration.ofSeconds(5)); // the stall check runs before that poll arrives

    List<Alert> raised = alerts.readValuesToList();
    assertThat(raised.size()).as("alerts %s", raised).isEqualTo(0);
  }

  private void register(Duration interval, Instant at) {
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
        .setPollIntervalMs(interval.toMillis()).setDesiredState(DesiredState.RUNNING).build(), at);
  }

  private void poll(Instant at) {
    byte[] body = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(1).setRequestedAt(at).setLatencyMs(10)
        .setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(body.length).setBodyBytes(body.length)
        .setBody(ByteBuffer.wrap(body)).build(), at);
  }

  @Test
  void shouldNotRaiseStalledWhenTheIngestClockIsBehindButItPollsOnTime() {
    Duration skew = Duration.ofMinutes(2); // the ingest host's clock runs 2 min behind the topology's
    register(Duration.ofSeconds(10), START);
    for (int i = 0; i < 30; i++) { // polled every 10 s, each poll arriving at once
      poll(START.plusSeconds(10L * i).minus(skew));
      topology.advanceWallClockTime(Duration.ofSeconds(10));
    }

    List<Alert> raised = alerts.readValuesToList();
    assertThat(raised.size()).as("alerts %s", raised).isEqualTo(0);
  }
}
