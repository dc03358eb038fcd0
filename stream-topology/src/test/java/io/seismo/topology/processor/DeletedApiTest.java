package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A deleted API stays deleted, whatever raw records of it were still on their way. */
class DeletedApiTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestInputTopic<String, SseEvent> sse;
  private TestOutputTopic<String, ApiStatus> status;

  @BeforeEach
  void start() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    registrations = topology.input(Topics.REGISTRATIONS);
    polls = topology.input(Topics.RAW_POLLS);
    sse = topology.input(Topics.RAW_SSE);
    status = topology.output(Topics.STATUS);
  }

  @AfterEach
  void stop() {
    topology.close();
  }

  @Test
  void shouldKeepADeletedApiDeletedWhenItsInFlightPollAndEventArriveAfterTheTombstone() {
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
        .setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build(), START);
    polls.pipeInput("api", poll(START.plusSeconds(1)), START.plusSeconds(1));
    registrations.pipeInput("api", null, START.plusSeconds(5));
    // requested before the deletion, produced after it (in flight, or held in the ingest's outage buffer)
    polls.pipeInput("api", poll(START.plusSeconds(4)), START.plusSeconds(6));
    sse.pipeInput("api", SseEvent.newBuilder().setApiId("api").setConnectionId("c").setKind(SseEventKind.EVENT)
        .setEventType("data").setData("{}").setBytes(10).setReceivedAt(START.plusSeconds(4)).build(), START.plusSeconds(7));

    ApiStatus stored = topology.<ApiStatus>store(StoreNames.STATUS).get("api");
    List<KeyValue<String, ApiStatus>> emitted = status.readKeyValuesToList();
    assertThat(stored == null ? "no status" : stored.getState().name()).isEqualTo("no status");
    assertThat(emitted.getLast().value == null ? "tombstone" : emitted.getLast().value.getState().name())
        .isEqualTo("tombstone");
  }

  private static PollResult poll(Instant requestedAt) {
    byte[] body = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    return PollResult.newBuilder().setApiId("api").setSequence(requestedAt.toEpochMilli()).setRequestedAt(requestedAt)
        .setLatencyMs(10).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(body.length)
        .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build();
  }
}
