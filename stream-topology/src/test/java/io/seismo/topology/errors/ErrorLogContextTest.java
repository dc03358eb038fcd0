package io.seismo.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.CapturedLogs;
import io.seismo.topology.TopologyFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
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
    try (CapturedLogs logs = CapturedLogs.of("org.apache.kafka.streams.errors");
         TopologyFixture topology = TopologyFixture.start(START, Map.of())) {
      TestInputTopic<String, byte[]> polls = topology.rawInput(Topics.RAW_POLLS);

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
