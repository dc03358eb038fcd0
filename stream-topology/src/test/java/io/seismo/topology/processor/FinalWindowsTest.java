package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.SeismoTopology;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A window that closed goes out once more, marked final, so a consumer can take finished windows as they come. */
class FinalWindowsTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyTestDriver driver;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestOutputTopic<String, ApiMetrics> metrics;
  private long sequence;

  @BeforeEach
  void start() throws Exception {
    TopologyConfig config = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-ttd").toString())));
    driver = new TopologyTestDriver(SeismoTopology.build(config), TopologyService.streamsProperties(config), START);
    registrations = driver.createInputTopic(Topics.REGISTRATIONS.name(), Serdes.String().serializer(),
        Topics.REGISTRATIONS.valueSerde().serializer());
    polls = driver.createInputTopic(Topics.RAW_POLLS.name(), Serdes.String().serializer(),
        Topics.RAW_POLLS.valueSerde().serializer());
    metrics = driver.createOutputTopic(Topics.METRICS.name(), Serdes.String().deserializer(),
        Topics.METRICS.valueSerde().deserializer());
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
        .setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build(), START);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldEmitAClosedMinuteWindowOnceMoreAsFinalWhenTheWallClockPassesItsEnd() {
    poll(START.plusSeconds(5));
    poll(START.plusSeconds(15));
    driver.advanceWallClockTime(Duration.ofSeconds(60)); // the window 12:00 has ended, within the grace
    List<KeyValue<String, ApiMetrics>> early = metrics.readKeyValuesToList();
    assertThat(early).noneMatch(record -> record.value.getFinal$());

    driver.advanceWallClockTime(Duration.ofSeconds(40)); // end + grace passed
    driver.advanceWallClockTime(Duration.ofSeconds(60)); // and later ticks emit nothing more
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
