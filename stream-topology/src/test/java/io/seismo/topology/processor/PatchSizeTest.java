package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import io.seismo.schemas.Change;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A change record must fit its topic, whatever the shape of the document. */
class PatchSizeTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TopologyFixture topology;
  private TestInputTopic<String, PollResult> polls;
  private TestOutputTopic<String, byte[]> changes;

  @BeforeEach
  void start() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    topology.input(Topics.REGISTRATIONS).pipeInput("api", Registration.newBuilder().setApiId("api")
        .setUrl("https://example.org/api").setPollIntervalMs(10_000).setDesiredState(DesiredState.RUNNING).build(), START);
    polls = topology.input(Topics.RAW_POLLS);
    changes = topology.rawOutput(Topics.CHANGES);
  }

  @AfterEach
  void stop() {
    topology.close();
  }

  @Test
  void shouldKeepTheChangeRecordWithinTheTopicLimitWhenManyLeavesChangeDeepInADocument() throws Exception {
    String before = deep(0);
    String after = deep(1); // 53 KB each; every one of 5,000 leaves 200 levels down changes
    poll(before, 1);
    poll(after, 2);

    List<byte[]> records = changes.readValuesToList();
    long limit = Long.parseLong(Topics.CHANGES.configs().get("max.message.bytes"));
    assertThat(records.size()).isEqualTo(1);
    assertThat(records.get(0).length <= limit).as("change record of %d bytes, topic max.message.bytes %d",
        records.get(0).length, limit).isTrue();
    Change change = Topics.CHANGES.valueSerde().deserializer().deserialize(Topics.CHANGES.name(), records.get(0));
    JsonNode patched = JsonPatch.apply(JSON.readTree(change.getPatch()), JSON.readTree(before));
    assertThat(patched).isEqualTo(JSON.readTree(after));
  }

  /** {"aaaaaaaaaa":{"aaaaaaaaaa":{ … {"k0000":v,…,"k4999":v} … }}} */
  private static String deep(int value) {
    StringBuilder json = new StringBuilder();
    json.append("{\"aaaaaaaaaa\":".repeat(200)).append('{');
    for (int i = 0; i < 5_000; i++) {
      json.append(i == 0 ? "" : ",").append(String.format("\"k%04d\":%d", i, value));
    }
    return json.append('}').append("}".repeat(200)).toString();
  }

  private void poll(String body, int sequence) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Instant at = START.plusSeconds(10L * sequence);
    polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(sequence).setRequestedAt(at)
        .setLatencyMs(10).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(bytes.length)
        .setBodyBytes(bytes.length).setBody(ByteBuffer.wrap(bytes)).build(), at);
  }
}
