package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.runtime.config.Settings;
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
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** SEISMO_OUTPUT_FORMAT: the analysis topics in plain JSON when asked, Avro single-object otherwise. */
class OutputFormatTopologyTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private List<TestRecord<String, byte[]>> run(Map<String, String> settings, String topic) throws Exception {
    java.util.HashMap<String, String> all = new java.util.HashMap<>(settings);
    all.put("SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-ttd").toString());
    all.put("SEISMO_TOPOLOGY_FAILING_AFTER", "1");
    TopologyConfig config = TopologyConfig.from(new Settings(all));
    try (TopologyTestDriver driver = new TopologyTestDriver(SeismoTopology.build(config),
        TopologyService.streamsProperties(config), START)) {
      var registrations = driver.createInputTopic(Topics.REGISTRATIONS.name(), Serdes.String().serializer(),
          Topics.REGISTRATIONS.valueSerde().serializer(), START, Duration.ZERO);
      var polls = driver.createInputTopic(Topics.RAW_POLLS.name(), Serdes.String().serializer(),
          Topics.RAW_POLLS.valueSerde().serializer(), START, Duration.ofSeconds(1));
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
      driver.advanceWallClockTime(Duration.ofSeconds(1)); // a commit: windows and statuses go out
      return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer())
          .readRecordsToList();
    }
  }

  @Test
  void shouldWritePlainJsonToEveryAnalysisTopicWhenTheFormatIsJson() throws Exception {
    for (String topic : List.of(Topics.CHANGES.name(), Topics.STATUS.name(), Topics.METRICS.name(), Topics.ALERTS.name())) {
      List<TestRecord<String, byte[]>> records = run(Map.of("SEISMO_OUTPUT_FORMAT", "json"), topic);
      assertThat(records).as(topic).isNotEmpty();
      for (TestRecord<String, byte[]> record : records) {
        JsonNode json = JSON.readTree(record.value());
        assertThat(json.isObject()).as(topic).isTrue();
        assertThat(json.path("apiId").asText()).as(topic).isEqualTo("api");
      }
    }
    JsonNode metrics = JSON.readTree(run(Map.of("SEISMO_OUTPUT_FORMAT", "json"), Topics.METRICS.name()).getLast().value());
    assertThat(metrics.path("latencyP50Ms").isNumber()).isTrue();
    JsonNode alert = JSON.readTree(run(Map.of("SEISMO_OUTPUT_FORMAT", "json"), Topics.ALERTS.name()).getFirst().value());
    assertThat(alert.path("kind").asText()).isEqualTo("FAILING");
  }

  @Test
  void shouldKeepAvroSingleObjectEncodingWhenNoFormatIsSet() throws Exception {
    for (String topic : List.of(Topics.CHANGES.name(), Topics.STATUS.name(), Topics.METRICS.name(), Topics.ALERTS.name())) {
      for (TestRecord<String, byte[]> record : run(Map.of(), topic)) {
        assertThat(record.value()[0]).as(topic).isEqualTo((byte) 0xC3);
        assertThat(record.value()[1]).as(topic).isEqualTo((byte) 0x01);
      }
    }
  }
}
