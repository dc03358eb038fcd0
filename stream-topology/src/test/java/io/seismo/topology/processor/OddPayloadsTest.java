package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.SeismoTopology;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Payloads an upstream may send that are odd but must still count as samples. */
class OddPayloadsTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyTestDriver driver;
  private TestInputTopic<String, PollResult> polls;
  private long sequence;

  @BeforeEach
  void start() throws Exception {
    TopologyConfig config = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-ttd").toString())));
    driver = new TopologyTestDriver(SeismoTopology.build(config), TopologyService.streamsProperties(config), START);
    driver.createInputTopic(Topics.REGISTRATIONS.name(), Serdes.String().serializer(),
        Topics.REGISTRATIONS.valueSerde().serializer()).pipeInput("api", Registration.newBuilder().setApiId("api")
        .setUrl("https://example.org/api").setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build(), START);
    polls = driver.createInputTopic(Topics.RAW_POLLS.name(), Serdes.String().serializer(),
        Topics.RAW_POLLS.valueSerde().serializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldCountAPayloadWhoseNumberExponentOverflowsAsANonJsonSampleWhenItArrives() {
    poll("{\"v\":1}");
    poll("{\"v\":1e9999999999}"); // valid JSON text (RFC 8259 sets no limit); BigDecimal cannot hold it
    poll("{\"v\":2}");

    ApiStatus status = driver.<String, ApiStatus>getKeyValueStore(StoreNames.STATUS).get("api");
    assertThat(status.getSamples()).isEqualTo(3L);
    assertThat(status.getPayloads()).isEqualTo(3L);
    assertThat(status.getChanges()).isEqualTo(2L);
    assertThat(status.getErrors()).isEqualTo(0L);
  }

  private void poll(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Instant at = START.plusSeconds(10 * ++sequence);
    polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(sequence).setRequestedAt(at)
        .setLatencyMs(10).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(bytes.length)
        .setBodyBytes(bytes.length).setBody(ByteBuffer.wrap(bytes)).build(), at);
  }
}
