package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.Measured;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Source;
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
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mode BOTH: polling is the API's series; the stream is measured beside it, not merged into it. */
class BothModeTest {

  private static final Instant START = Instant.parse("2026-12-03T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestInputTopic<String, SseEvent> stream;
  private TestOutputTopic<String, Change> changes;
  private TestOutputTopic<String, ApiMetrics> metrics;
  private long sequence;

  @BeforeEach
  void setUp() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    registrations = topology.input(Topics.REGISTRATIONS);
    polls = topology.input(Topics.RAW_POLLS);
    stream = topology.input(Topics.RAW_SSE);
    changes = topology.output(Topics.CHANGES);
    metrics = topology.output(Topics.METRICS);
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/prices")
        .setMode(ApiMode.BOTH).setPollIntervalMs(5_000).setIgnore(List.of("/servedAt")).build(), START);
  }

  @AfterEach
  void tearDown() {
    topology.close();
  }

  @Test
  void shouldMeasureWhichSideSawEachVersionFirstWithoutMergingTheTwo() {
    event(0, SseEventKind.OPEN, null, null, 0);
    event(100, SseEventKind.EVENT, "data", "{\"price\":1,\"servedAt\":\"a\"}", 60);
    poll(1_000, "{\"price\":1,\"servedAt\":\"b\"}");                               // both baselines: v1
    event(3_000, SseEventKind.EVENT, "patch", "[{\"op\":\"replace\",\"path\":\"/price\",\"value\":2}]", 70);
    poll(6_000, "{\"price\":2,\"servedAt\":\"c\"}");                               // v2: the stream 3 s earlier
    event(7_000, SseEventKind.EVENT, "patch", "[{\"op\":\"replace\",\"path\":\"/price\",\"value\":3}]", 70);
    event(8_000, SseEventKind.EVENT, "patch", "[{\"op\":\"replace\",\"path\":\"/price\",\"value\":4}]", 70);
    poll(11_000, "{\"price\":4,\"servedAt\":\"d\"}");                              // v4: 3 s; v3 never polled
    event(12_000, SseEventKind.EVENT, "patch", "[{\"op\":\"remove\",\"path\":\"/nope\"}]", 40); // does not apply
    poll(16_000, "{\"price\":4,\"servedAt\":\"e\"}");                              // unchanged: not a version

    ApiStatus status = topology.<ApiStatus>store(StoreNames.STATUS).get("api");
    Measured measured = status.getMeasured();
    assertThat(measured.getMatched()).isEqualTo(2);
    assertThat(measured.getStreamFirst()).isEqualTo(2);
    assertThat(measured.getStreamLeadSumMs()).isEqualTo(3_000 + 3_000);
    assertThat(measured.getStreamLeadMaxMs()).isEqualTo(3_000);
    assertThat(measured.getMissedByPolling()).isEqualTo(1);
    assertThat(measured.getStreamVersions()).isEqualTo(3);
    assertThat(measured.getPollVersions()).isEqualTo(2);
    assertThat(measured.getStreamEvents()).isEqualTo(5);
    assertThat(measured.getStreamBytes()).isEqualTo(60 + 70 + 70 + 70 + 40);
    assertThat(measured.getStreamErrors()).isEqualTo(1);
    assertThat(measured.getPollBytes()).isEqualTo(4 * (100 + 27));
    // polling is the API's series: its samples and its changes only, none from the stream
    assertThat(status.getSamples()).isEqualTo(4);
    assertThat(status.getErrors()).isZero();
    assertThat(status.getChanges()).isEqualTo(2);
    assertThat(changes.readValuesToList()).extracting(Change::getSource).containsExactly(Source.POLL, Source.POLL);
    // the same figures in the window, as emitted at the commit
    List<ApiMetrics> windows = metrics.readValuesToList();
    ApiMetrics minute = windows.stream().filter(w -> w.getWindow().equals("1m")).reduce((a, b) -> b).orElseThrow();
    assertThat(minute.getMeasured()).isEqualTo(measured);
    assertThat(minute.getSamples()).isEqualTo(4);
  }

  @Test
  void shouldCountStreamFailuresWithoutFailingThePolledApi() {
    poll(0, "{\"price\":1}");
    for (int i = 1; i <= 5; i++) {
      stream.pipeInput("api", SseEvent.newBuilder().setApiId("api").setConnectionId("c" + i).setKind(SseEventKind.ERROR)
          .setReceivedAt(START.plusSeconds(i)).setError(new SampleError(ErrorCategory.HTTP_STATUS, "HTTP 503")).build(),
          START.plusSeconds(i));
    }

    ApiStatus status = topology.<ApiStatus>store(StoreNames.STATUS).get("api");
    assertThat(status.getMeasured().getStreamErrors()).isEqualTo(5);
    assertThat(status.getState().name()).isEqualTo("RUNNING");
    assertThat(status.getLogEntries()).isEqualTo(6); // the poll and the five failures
  }

  private void poll(long atMs, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Instant at = START.plusMillis(atMs);
    polls.pipeInput("api", PollResult.newBuilder().setApiId("api").setSequence(++sequence).setRequestedAt(at)
        .setLatencyMs(20).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(27)
        .setBodyBytes(bytes.length).setBody(ByteBuffer.wrap(bytes)).build(), at);
  }

  private void event(long atMs, SseEventKind kind, String type, String data, long bytes) {
    Instant at = START.plusMillis(atMs);
    stream.pipeInput("api", SseEvent.newBuilder().setApiId("api").setConnectionId("c1").setKind(kind).setEventType(type)
        .setData(data).setBytes(bytes).setReceivedAt(at).build(), at);
  }
}
