package io.seismo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.Execution;
import io.seismo.schemas.ExecutionKind;
import io.seismo.schemas.HttpHeader;
import io.seismo.schemas.PhaseTimings;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.analysis.LatencySketch;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeismoTopologyTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestInputTopic<String, byte[]> rawPollBytes;
  private TestOutputTopic<String, ApiStatus> status;
  private TestOutputTopic<String, Change> changes;
  private TestOutputTopic<String, Alert> alerts;
  private TestOutputTopic<String, ApiMetrics> metrics;
  private long sequence;

  @BeforeEach
  void setUp() throws Exception {
    topology = TopologyFixture.start(START, Map.of("SEISMO_TOPOLOGY_STALL_CHECK", "1s"));
    registrations = topology.input(Topics.REGISTRATIONS, START, Duration.ZERO);
    polls = topology.input(Topics.RAW_POLLS, START, Duration.ofSeconds(1));
    rawPollBytes = topology.rawInput(Topics.RAW_POLLS);
    status = topology.output(Topics.STATUS);
    changes = topology.output(Topics.CHANGES);
    alerts = topology.output(Topics.ALERTS);
    metrics = topology.output(Topics.METRICS);
  }

  @AfterEach
  void tearDown() {
    topology.close();
  }

  @Test
  void shouldCountSamplesBytesAndExactlyTheChangesWhenPayloadChanges() {
    registrations.pipeInput("api", registration("api", DesiredState.RUNNING));
    String[] bodies = {"{\"v\":1,\"x\":[1]}", "{\"x\":[1], \"v\":1}", "{\"v\":2,\"x\":[1]}", "{\"v\":2,\"x\":[1]}",
        "{\"v\":3,\"x\":[1,2]}"};
    for (String body : bodies) {
      polls.pipeInput("api", ok("api", body));
    }

    ApiStatus current = store().get("api");
    assertThat(current.getState()).isEqualTo(ApiState.RUNNING);
    assertThat(current.getSamples()).isEqualTo(5);
    assertThat(current.getChanges()).isEqualTo(2);  // reordered keys are not a change
    assertThat(current.getLastPayloadBytes()).isEqualTo(bodies[4].length());
    List<Change> emitted = changes.readValuesToList();
    assertThat(emitted).hasSize(2);
    assertThat(emitted.get(1).getPatch()).contains("\"op\":\"replace\",\"path\":\"/v\",\"value\":3")
        .contains("\"op\":\"add\",\"path\":\"/x/1\"");
    assertThat(emitted.get(1).getOpCount()).isEqualTo(2);
    assertThat(emitted.get(1).getPreviousHash()).isEqualTo(emitted.get(0).getNewHash());
    // the transition to RUNNING goes out at once; later updates with the commit that stores them
    // (the test driver commits after every record)
    assertThat(status.readValuesToList()).extracting(ApiStatus::getSamples).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    topology.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(status.isEmpty()).isTrue();
  }

  @Test
  void shouldConnectEveryStoreToTheAnalysisNodeAndWriteEveryOutputTopicWhenBuilt() throws Exception {
    TopologyDescription description = SeismoTopology.build(TopologyFixture.config(Map.of())).describe();
    List<TopologyDescription.Node> nodes = description.subtopologies().stream()
        .flatMap(subtopology -> subtopology.nodes().stream()).toList();
    Set<String> stores = new HashSet<>(List.of(StoreNames.REGISTRATIONS, StoreNames.STATUS, StoreNames.DOCUMENTS,
        StoreNames.EXECUTIONS, StoreNames.RECENT_CHANGES, StoreNames.INCIDENTS));
    for (TimeWindow window : TimeWindow.values()) {
      stores.addAll(List.of(StoreNames.metrics(window), StoreNames.fields(window)));
    }
    assertThat(nodes).filteredOn(node -> node.name().equals("analysis")).singleElement()
        .extracting(node -> ((TopologyDescription.Processor) node).stores()).isEqualTo(stores);
    assertThat(nodes).filteredOn(node -> node instanceof TopologyDescription.Sink)
        .extracting(node -> ((TopologyDescription.Sink) node).topic()).containsExactlyInAnyOrder(Topics.STATUS.name(),
            Topics.CHANGES.name(), Topics.METRICS.name(), Topics.FIELD_CHANGES.name(), Topics.ALERTS.name());
  }

  @Test
  void shouldCompareNonJsonByHashWithoutPatch() {
    polls.pipeInput("html", ok("html", "<p>one</p>"));
    polls.pipeInput("html", ok("html", "<p>two</p>"));

    assertThat(store().get("html").getChanges()).isEqualTo(1);
    Change change = changes.readValue();
    assertThat(change.getPatch()).isNull();
    assertThat(change.getDocumentBytes()).isEqualTo("<p>two</p>".length());
  }

  @Test
  void shouldGoFailingAfterConsecutiveErrorsAndRecoverWithAlerts() {
    polls.pipeInput("api", ok("api", "{}"));
    for (int i = 0; i < 3; i++) {
      polls.pipeInput("api", failed("api", ErrorCategory.CONNECT));
    }
    assertThat(store().get("api").getState()).isEqualTo(ApiState.FAILING);
    assertThat(store().get("api").getErrors()).isEqualTo(3);

    polls.pipeInput("api", ok("api", "{}"));

    assertThat(store().get("api").getState()).isEqualTo(ApiState.RUNNING);
    assertThat(alerts.readValuesToList()).extracting(Alert::getKind)
        .containsExactly(AlertKind.FAILING, AlertKind.RECOVERED);
  }

  @Test
  void shouldMarkStalledWhenNoSampleWithinThreeIntervals() {
    registrations.pipeInput("api", registration("api", DesiredState.RUNNING));
    polls.pipeInput("api", ok("api", "{}"), START);

    topology.advanceWallClockTime(Duration.ofSeconds(20)); // interval 5s × 3 = 15s

    assertThat(store().get("api").getState()).isEqualTo(ApiState.STALLED);
    assertThat(alerts.readValuesToList()).extracting(Alert::getKind).containsExactly(AlertKind.STALLED);
  }

  @Test
  void shouldStopAndDeleteWhenRegistrationSaysSo() {
    registrations.pipeInput("api", registration("api", DesiredState.RUNNING));
    polls.pipeInput("api", ok("api", "{}"));
    polls.pipeInput("api", ok("api", "{\"v\":1}"));
    registrations.pipeInput("api", registration("api", DesiredState.STOPPED));
    assertThat(store().get("api").getState()).isEqualTo(ApiState.STOPPED);
    assertThat(entries(StoreNames.EXECUTIONS, RingKeys.EXECUTIONS)).hasSize(2);
    assertThat(entries(StoreNames.RECENT_CHANGES, RingKeys.CHANGES)).hasSize(1);

    registrations.pipeInput("api", (Registration) null);

    assertThat(store().get("api")).isNull();
    assertThat(entries(StoreNames.EXECUTIONS, RingKeys.EXECUTIONS)).isEmpty();
    assertThat(entries(StoreNames.RECENT_CHANGES, RingKeys.CHANGES)).isEmpty();
    List<TestRecord<String, ApiStatus>> emitted = status.readRecordsToList();
    assertThat(emitted.getLast().value()).isNull();
  }

  @Test
  void shouldSkipUndecodableRecordAndKeepProcessing() {
    // the dead-letter record itself is asserted on a real broker (EndToEndIT): the test driver does not capture it
    rawPollBytes.pipeInput("api", "not avro".getBytes(StandardCharsets.UTF_8));
    polls.pipeInput("api", ok("api", "{}"));

    assertThat(store().get("api").getSamples()).isEqualTo(1);
  }

  @Test
  void shouldAggregateWindowsWithEfficiencyAndLatencyWhenSamplesArrive() {
    registrations.pipeInput("api", registration("api", DesiredState.RUNNING));
    polls.pipeInput("api", ok("api", "{\"v\":1}"));
    polls.pipeInput("api", ok("api", "{\"v\":1}"));
    polls.pipeInput("api", ok("api", "{\"v\":2}"));
    polls.pipeInput("api", failed("api", ErrorCategory.TIMEOUT));

    WindowStore<String, ApiMetrics> minutes = topology.windowStore(StoreNames.metrics(TimeWindow.ONE_MINUTE));
    ApiMetrics window = minutes.fetch("api", TimeWindow.ONE_MINUTE.startOf(START.plusSeconds(1).toEpochMilli()));
    assertThat(window.getSamples()).isEqualTo(4);
    assertThat(window.getPayloads()).isEqualTo(3);
    assertThat(window.getChanges()).isEqualTo(1);
    assertThat(window.getErrorsByCategory()).containsEntry("TIMEOUT", 1L);
    assertThat(window.getSizeMin()).isEqualTo(7);
    assertThat(window.getBytesPolled()).isEqualTo(3 * 107 + 0);
    assertThat(window.getBytesConditional()).isEqualTo(107 + 100 + 107);
    assertThat(window.getBytesStreamed()).isLessThan(window.getBytesConditional());
    assertThat(LatencySketch.quantile(window.getLatencySketch(), 0.5)).isBetween(4.9, 12.2);
    // emitted once per window per commit (the test driver commits after every record), not per sample
    List<TestRecord<String, ApiMetrics>> emitted = metrics.readRecordsToList();
    assertThat(emitted).hasSize(4 * 3);
    emitted = emitted.subList(emitted.size() - 3, emitted.size());
    assertThat(emitted).extracting(TestRecord::key).containsExactly("api@1m@2026-11-24T12:00:00Z",
        "api@1h@2026-11-24T12:00:00Z", "api@1d@2026-11-24T00:00:00Z");
    assertThat(emitted.getFirst().value().getSamples()).isEqualTo(4);
    ApiStatus status = store().get("api");
    assertThat(status.getTotalBytesPolled()).isEqualTo(window.getBytesPolled());
    assertThat(status.getPayloads()).isEqualTo(3);
  }

  @Test
  void shouldKeepBoundedLogsOfExecutionsAndChanges() {
    registrations.pipeInput("api", registration("api", DesiredState.RUNNING));
    for (int i = 0; i < RingKeys.EXECUTIONS.slots() + 10; i++) {
      polls.pipeInput("api", ok("api", "{\"v\":" + i + "}"));
    }

    List<Execution> executions = entries(StoreNames.EXECUTIONS, RingKeys.EXECUTIONS);
    List<Change> changes = entries(StoreNames.RECENT_CHANGES, RingKeys.CHANGES);
    assertThat(executions).hasSize(RingKeys.EXECUTIONS.slots());
    assertThat(executions).extracting(Execution::getEntry).containsExactlyInAnyOrderElementsOf(
        java.util.stream.LongStream.rangeClosed(11, RingKeys.EXECUTIONS.slots() + 10).boxed().toList());
    assertThat(executions).extracting(Execution::getSequence).contains(sequence).doesNotContain(sequence - 500);
    assertThat(executions.getFirst().getUrl()).isEqualTo("https://example.org/api");
    assertThat(store().get("api").getLogEntries()).isEqualTo(RingKeys.EXECUTIONS.slots() + 10);
    assertThat(changes).hasSize(20); // 509 changes so far: the 20 most recent, 490..509
    assertThat(changes).extracting(Change::getPatch).anyMatch(patch -> patch.contains("\"value\":509"))
        .noneMatch(patch -> patch.contains("\"value\":489"));
  }

  @Test
  void shouldLogPollsWithHeadersAndTimingsAndStreamConnectionsInOneNumberedLog() {
    TestInputTopic<String, SseEvent> sse = topology.input(Topics.RAW_SSE, START, Duration.ofSeconds(1));
    registrations.pipeInput("api", Registration.newBuilder(registration("api", DesiredState.RUNNING))
        .setMode(ApiMode.BOTH).build());
    PhaseTimings timings = new PhaseTimings(3L, 4L, -1L, 20L, 2L);
    polls.pipeInput("api", PollResult.newBuilder(ok("api", "{\"v\":1}"))
        .setRequestHeaders(List.of(new HttpHeader("Authorization", "<redacted>")))
        .setResponseHeaders(List.of(new HttpHeader("X-Request-Id", "r-1")))
        .setTimings(timings).setRedirects(1).build());
    sse.pipeInput("api", SseEvent.newBuilder(sseEvent("api", SseEventKind.OPEN, null, "HTTP 200"))
        .setHttpStatus(200).setEventId("7").setResponseHeaders(List.of(new HttpHeader("X-Served-By", "edge"))).build());
    sse.pipeInput("api", sseEvent("api", SseEventKind.EVENT, "data", "{\"v\":2}"));
    sse.pipeInput("api", SseEvent.newBuilder(sseEvent("api", SseEventKind.CLOSE, null, "closed by the server"))
        .setEventId("9").setConnectionEvents(3).setConnectionBytes(120).setConnectionMs(4_000).build());
    sse.pipeInput("api", SseEvent.newBuilder(sseEvent("api", SseEventKind.ERROR, null, "HTTP 503 on the event stream"))
        .setError(new SampleError(ErrorCategory.HTTP_STATUS, "HTTP 503 on the event stream")).build());

    List<Execution> log = this.<Execution>entries(StoreNames.EXECUTIONS, RingKeys.EXECUTIONS).stream()
        .sorted(java.util.Comparator.comparingLong(Execution::getEntry)).toList();
    assertThat(log).extracting(Execution::getEntry).containsExactly(1L, 2L, 3L, 4L);
    assertThat(log).extracting(Execution::getKind).containsExactly(ExecutionKind.POLL, ExecutionKind.SSE_OPEN,
        ExecutionKind.SSE_CLOSE, ExecutionKind.SSE_ERROR);
    Execution poll = log.get(0);
    assertThat(poll.getTimings()).isEqualTo(timings);
    assertThat(poll.getRedirects()).isEqualTo(1);
    assertThat(poll.getRequestHeaders()).containsExactly(new HttpHeader("Authorization", "<redacted>"));
    assertThat(poll.getResponseHeaders()).containsExactly(new HttpHeader("X-Request-Id", "r-1"));
    assertThat(log.get(1).getHttpStatus()).isEqualTo(200);
    assertThat(log.get(1).getEventId()).isEqualTo("7");
    assertThat(log.get(1).getResponseHeaders()).containsExactly(new HttpHeader("X-Served-By", "edge"));
    assertThat(log.get(2).getConnectionEvents()).isEqualTo(3);
    assertThat(log.get(2).getConnectionBytes()).isEqualTo(120);
    assertThat(log.get(2).getConnectionMs()).isEqualTo(4_000);
    assertThat(log.get(2).getDetail()).isEqualTo("closed by the server");
    assertThat(log.get(3).getError().getCategory()).isEqualTo(ErrorCategory.HTTP_STATUS);
    ApiStatus status = store().get("api");
    assertThat(status.getLogEntries()).isEqualTo(4);
    assertThat(status.getSamples()).isEqualTo(1); // mode BOTH: the polls are the API's samples, the stream is measured beside them
  }

  @Test
  void shouldAlertOnChangeWhenRegistrationAsks() {
    registrations.pipeInput("api", Registration.newBuilder(registration("api", DesiredState.RUNNING))
        .setAlertOnChange(true).build());
    polls.pipeInput("api", ok("api", "{\"v\":1}"));
    polls.pipeInput("api", ok("api", "{\"v\":2}"));

    assertThat(alerts.readValuesToList()).extracting(Alert::getKind).containsExactly(AlertKind.CHANGED);
  }

  @Test
  void shouldReconstructStreamedDocumentFromSnapshotAndPatchesAndHealAfterBadPatch() {
    TestInputTopic<String, SseEvent> sse = topology.input(Topics.RAW_SSE, START, Duration.ofSeconds(1));
    registrations.pipeInput("s", Registration.newBuilder(registration("s", DesiredState.RUNNING))
        .setMode(ApiMode.SSE).build());
    sse.pipeInput("s", sseEvent("s", SseEventKind.OPEN, null, null));
    sse.pipeInput("s", sseEvent("s", SseEventKind.EVENT, "data", "{\"a\":1,\"b\":[1]}"));
    sse.pipeInput("s", sseEvent("s", SseEventKind.EVENT, "patch", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"));
    sse.pipeInput("s", sseEvent("s", SseEventKind.EVENT, "patch", "[{\"op\":\"remove\",\"path\":\"/nope\"}]"));
    sse.pipeInput("s", sseEvent("s", SseEventKind.EVENT, "patch", "[{\"op\":\"add\",\"path\":\"/b/-\",\"value\":2}]"));
    sse.pipeInput("s", sseEvent("s", SseEventKind.HEARTBEAT_GAP, null, null));
    sse.pipeInput("s", sseEvent("s", SseEventKind.EVENT, "data", "{\"a\":3}"));

    ApiStatus status = store().get("s");
    assertThat(status.getSamples()).isEqualTo(6);
    assertThat(status.getErrors()).isEqualTo(2);
    assertThat(status.getChanges()).isEqualTo(3);
    assertThat(new String(topology.<byte[]>store(StoreNames.DOCUMENTS).get("s"), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":3}");
    List<Change> emitted = changes.readValuesToList();
    assertThat(emitted).extracting(Change::getSource).containsOnly(io.seismo.schemas.Source.SSE);
    assertThat(emitted.get(0).getPatch()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]");
    assertThat(emitted.get(1).getPatch()).isEqualTo("[{\"op\":\"add\",\"path\":\"/b/1\",\"value\":2}]");
    assertThat(status.getLastError().getCategory()).isEqualTo(ErrorCategory.TIMEOUT);
    topology.advanceWallClockTime(Duration.ofMinutes(10));
    assertThat(store().get("s").getState()).isEqualTo(ApiState.RUNNING); // SSE silence is a heartbeat gap, not a stall
  }

  private SseEvent sseEvent(String apiId, SseEventKind kind, String type, String data) {
    return SseEvent.newBuilder().setApiId(apiId).setConnectionId("c1").setKind(kind).setEventType(type)
        .setEventId(type == null ? null : Long.toString(++sequence)).setData(data)
        .setBytes(data == null ? 0 : data.length() + 20).setReceivedAt(START.plusSeconds(sequence))
        .setError(kind == SseEventKind.HEARTBEAT_GAP ? new SampleError(ErrorCategory.TIMEOUT, "gap") : null).build();
  }

  private KeyValueStore<String, ApiStatus> store() {
    return topology.store(StoreNames.STATUS);
  }

  private static Registration registration(String apiId, DesiredState state) {
    return Registration.newBuilder().setApiId(apiId).setUrl("https://example.org/" + apiId)
        .setPollIntervalMs(5_000).setDesiredState(state).build();
  }

  private PollResult ok(String apiId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return PollResult.newBuilder().setApiId(apiId).setSequence(++sequence).setRequestedAt(START.plusSeconds(sequence))
        .setLatencyMs(12).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(bytes.length)
        .setBodyBytes(bytes.length).setBody(ByteBuffer.wrap(bytes)).build();
  }

  private PollResult failed(String apiId, ErrorCategory category) {
    return PollResult.newBuilder().setApiId(apiId).setSequence(++sequence).setRequestedAt(START.plusSeconds(sequence))
        .setLatencyMs(5).setError(new SampleError(category, "refused")).build();
  }

  /** The entries of API "api" in a ring-keyed log store. */
  private <V> List<V> entries(String store, RingKeys ring) {
    List<V> values = new java.util.ArrayList<>();
    try (var range = topology.<V>store(store).range(ring.from("api"), ring.to("api"))) {
      range.forEachRemaining(kv -> values.add(kv.value));
    }
    return values;
  }
}
