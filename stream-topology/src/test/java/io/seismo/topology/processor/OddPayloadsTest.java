package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Payloads an upstream may send that are odd but must still count as samples. */
class OddPayloadsTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, PollResult> polls;
  private long sequence;

  @BeforeEach
  void start() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    topology.input(Topics.REGISTRATIONS).pipeInput("api", Registration.newBuilder().setApiId("api")
        .setUrl("https://example.org/api").setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build(), START);
    polls = topology.input(Topics.RAW_POLLS);
  }

  @AfterEach
  void stop() {
    topology.close();
  }

  @Test
  void shouldCountAPayloadWhoseNumberExponentOverflowsAsANonJsonSampleWhenItArrives() {
    poll("{\"v\":1}");
    poll("{\"v\":1e9999999999}"); // valid JSON text (RFC 8259 sets no limit); BigDecimal cannot hold it
    poll("{\"v\":2}");

    ApiStatus status = topology.<ApiStatus>store(StoreNames.STATUS).get("api");
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
