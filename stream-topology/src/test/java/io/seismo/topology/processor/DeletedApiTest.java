package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.SeismoTopology;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/** A deleted API stays deleted, whatever raw records of it were still on their way. */
class DeletedApiTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyTestDriver driver;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestInputTopic<String, SseEvent> sse;
  private TestOutputTopic<String, ApiStatus> status;

  @BeforeEach
  void start() throws Exception {
    TopologyConfig config = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-ttd").toString())));
    driver = new TopologyTestDriver(SeismoTopology.build(config), TopologyService.streamsProperties(config), START);
    registrations = driver.createInputTopic(Topics.REGISTRATIONS.name(), Serdes.String().serializer(),
        Topics.REGISTRATIONS.valueSerde().serializer());
    polls = driver.createInputTopic(Topics.RAW_POLLS.name(), Serdes.String().serializer(),
        Topics.RAW_POLLS.valueSerde().serializer());
    sse = driver.createInputTopic(Topics.RAW_SSE.name(), Serdes.String().serializer(),
        Topics.RAW_SSE.valueSerde().serializer());
    status = driver.createOutputTopic(Topics.STATUS.name(), Serdes.String().deserializer(),
        Topics.STATUS.valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
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

    ApiStatus stored = driver.<String, ApiStatus>getKeyValueStore(StoreNames.STATUS).get("api");
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
