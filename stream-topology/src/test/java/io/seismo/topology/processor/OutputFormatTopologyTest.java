package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** SEISMO_OUTPUT_FORMAT: the analysis topics in plain JSON when asked, Avro single-object otherwise. */
class OutputFormatTopologyTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private List<TestRecord<String, byte[]>> run(Map<String, String> settings, TopicSpec<String, ?> topic)
      throws Exception {
    Map<String, String> all = new HashMap<>(settings);
    all.put("SEISMO_TOPOLOGY_FAILING_AFTER", "1");
    try (TopologyFixture topology = TopologyFixture.start(START, all)) {
      var registrations = topology.input(Topics.REGISTRATIONS, START, Duration.ZERO);
      var polls = topology.input(Topics.RAW_POLLS, START, Duration.ofSeconds(1));
      registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
          .setPollIntervalMs(5_000).setDesiredState(DesiredState.RUNNING).build());
      for (int i = 1; i <= 3; i++) {
        byte[] body = ("{\"v\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(i).setRequestedAt(START.plusSeconds(i))
            .setLatencyMs(10L * i).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(body.length)
            .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build());
      }
      polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(4).setRequestedAt(START.plusSeconds(4))
          .setLatencyMs(5).setError(new io.seismo.schemas.SampleError(io.seismo.schemas.ErrorCategory.DNS, "no host")).build());
      topology.advanceWallClockTime(Duration.ofSeconds(1)); // a commit: windows and statuses go out
      return topology.rawOutput(topic).readRecordsToList();
    }
  }

  @Test
  void shouldWritePlainJsonToEveryAnalysisTopicWhenTheFormatIsJson() throws Exception {
    for (TopicSpec<String, ?> topic : List.<TopicSpec<String, ?>>of(Topics.CHANGES, Topics.STATUS, Topics.METRICS, Topics.ALERTS)) {
      List<TestRecord<String, byte[]>> records = run(Map.of("SEISMO_OUTPUT_FORMAT", "json"), topic);
      assertThat(records).as(topic.name()).isNotEmpty();
      for (TestRecord<String, byte[]> record : records) {
        JsonNode json = JSON.readTree(record.value());
        assertThat(json.isObject()).as(topic.name()).isTrue();
        assertThat(json.path("apiId").asText()).as(topic.name()).isEqualTo("api");
      }
    }
    JsonNode metrics = JSON.readTree(run(Map.of("SEISMO_OUTPUT_FORMAT", "json"), Topics.METRICS).getLast().value());
    assertThat(metrics.path("latencyP50Ms").isNumber()).isTrue();
    JsonNode alert = JSON.readTree(run(Map.of("SEISMO_OUTPUT_FORMAT", "json"), Topics.ALERTS).getFirst().value());
    assertThat(alert.path("kind").asText()).isEqualTo("FAILING");
  }

  @Test
  void shouldKeepAvroSingleObjectEncodingWhenNoFormatIsSet() throws Exception {
    for (TopicSpec<String, ?> topic : List.<TopicSpec<String, ?>>of(Topics.CHANGES, Topics.STATUS, Topics.METRICS, Topics.ALERTS)) {
      for (TestRecord<String, byte[]> record : run(Map.of(), topic)) {
        assertThat(record.value()[0]).as(topic.name()).isEqualTo((byte) 0xC3);
        assertThat(record.value()[1]).as(topic.name()).isEqualTo((byte) 0x01);
      }
    }
  }
}
