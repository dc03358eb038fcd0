package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.ApiMetrics;
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
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A window that closed goes out once more, marked final, so a consumer can take finished windows as they come. */
class FinalWindowsTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestOutputTopic<String, ApiMetrics> metrics;
  private long sequence;

  @BeforeEach
  void start() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    registrations = topology.input(Topics.REGISTRATIONS);
    polls = topology.input(Topics.RAW_POLLS);
    metrics = topology.output(Topics.METRICS);
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
        .setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build(), START);
  }

  @AfterEach
  void stop() {
    topology.close();
  }

  @Test
  void shouldEmitAClosedMinuteWindowOnceMoreAsFinalWhenTheWallClockPassesItsEnd() {
    poll(START.plusSeconds(5));
    poll(START.plusSeconds(15));
    topology.advanceWallClockTime(Duration.ofSeconds(60)); // the window 12:00 has ended, within the grace
    List<KeyValue<String, ApiMetrics>> early = metrics.readKeyValuesToList();
    assertThat(early).noneMatch(record -> record.value.getFinal$());

    topology.advanceWallClockTime(Duration.ofSeconds(40)); // end + grace passed
    topology.advanceWallClockTime(Duration.ofSeconds(60)); // and later ticks emit nothing more
    List<KeyValue<String, ApiMetrics>> finals = metrics.readKeyValuesToList();

    assertThat(finals).hasSize(1);
    assertThat(finals.getFirst().key).isEqualTo("api@1m@2026-11-24T12:00:00Z");
    assertThat(finals.getFirst().value.getFinal$()).isTrue();
    assertThat(finals.getFirst().value.getSamples()).isEqualTo(2);
  }

  @Test
  void shouldEmitThePreviousWindowAsFinalWhenASampleStartsTheNextOneWithoutAWallClockTick() {
    poll(START.plusSeconds(5));
    poll(START.plusSeconds(65)); // starts the 12:01 window: 12:00 is done
    List<KeyValue<String, ApiMetrics>> emitted = metrics.readKeyValuesToList();

    assertThat(emitted).filteredOn(record -> record.value.getFinal$())
        .extracting(record -> record.key).containsExactly("api@1m@2026-11-24T12:00:00Z");
  }

  private void poll(Instant at) {
    byte[] body = ("{\"v\":" + sequence + "}").getBytes(StandardCharsets.UTF_8);
    polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(++sequence).setRequestedAt(at)
        .setLatencyMs(10).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(body.length)
        .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build(), at);
  }
}
