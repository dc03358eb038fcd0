package io.seismo.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.CapturedLogs;
import io.seismo.topology.SeismoTopology;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A raw record the topology cannot read is logged (and dead-lettered) by Kafka's own handler, with the API, topic,
 * partition and offset as separate context fields of the log line — what the JSON logs show as fields — and the
 * context does not outlive the record.
 */
class ErrorLogContextTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  @Test
  void shouldLogTheApiIdTopicPartitionAndOffsetAsFieldsWhenARawRecordCannotBeDecoded() throws Exception {
    TopologyConfig config = TopologyConfig.from(new Settings(Map.of(
        "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-ttd").toString())));
    try (CapturedLogs logs = CapturedLogs.of("org.apache.kafka.streams.errors");
         TopologyTestDriver driver = new TopologyTestDriver(SeismoTopology.build(config),
             TopologyService.streamsProperties(config), START)) {
      TestInputTopic<String, byte[]> polls = driver.createInputTopic(Topics.RAW_POLLS.name(),
          Serdes.String().serializer(), Serdes.ByteArray().serializer());

      polls.pipeInput("api-7", "not avro".getBytes(StandardCharsets.UTF_8), START);

      assertThat(logs.lines()).anySatisfy(line -> {
        assertThat(line.level()).isEqualTo("WARN");
        assertThat(line.context()).containsEntry("apiId", "api-7").containsEntry("topic", Topics.RAW_POLLS.name())
            .containsEntry("partition", "0").containsEntry("offset", "0");
      });
      assertThat(MDC.getCopyOfContextMap()).as("context left behind on the stream thread").isNullOrEmpty();
    }
  }
}
