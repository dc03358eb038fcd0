package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.flipkart.zjsonpatch.JsonPatch;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Execution;
import io.seismo.schemas.FieldChanges;
import io.seismo.schemas.FieldFrequency;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.change.VolatileFields;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Change rules and per-field change frequency through the whole topology, polled and streamed alike. */
class ChangeRulesTopologyTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestInputTopic<String, SseEvent> sse;
  private TestOutputTopic<String, Change> changes;
  private TestOutputTopic<String, FieldFrequency> fields;
  private long sequence;

  @BeforeEach
  void setUp() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    registrations = topology.input(Topics.REGISTRATIONS, START, Duration.ZERO);
    polls = topology.input(Topics.RAW_POLLS, START, Duration.ofSeconds(1));
    sse = topology.input(Topics.RAW_SSE, START, Duration.ofSeconds(1));
    changes = topology.output(Topics.CHANGES);
    fields = topology.output(Topics.FIELD_CHANGES);
  }

  @AfterEach
  void tearDown() {
    topology.close();
  }

  @Test
  void shouldSeeNoChangeWhenOnlyIgnoredMembersChangeWhetherPolledOrStreamed() {
    for (String apiId : List.of("polled", "streamed")) {
      registrations.pipeInput(apiId, registration(apiId).setMode(apiId.equals("streamed") ? ApiMode.SSE : ApiMode.POLL)
          .setIgnore(List.of("/meta/requestId", "/**/etag")).build());
    }
    for (int i = 0; i < 5; i++) {
      String body = "{\"meta\":{\"requestId\":\"r" + i + "\",\"etag\":\"e" + i + "\"},\"data\":{\"v\":" + (i < 4 ? 1 : 2)
          + ",\"etag\":\"x" + i + "\"}}";
      polls.pipeInput("polled", poll("polled", body));
      sse.pipeInput("streamed", event("streamed", "data", body));
    }

    List<Change> emitted = changes.readValuesToList();
    assertThat(emitted).extracting(Change::getApiId).containsExactly("polled", "streamed");
    for (Change change : emitted) {
      assertThat(change.getPatch()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/data/v\",\"value\":2}]");
    }
    assertThat(status("polled").getChanges()).isEqualTo(1);
    assertThat(status("streamed").getChanges()).isEqualTo(1);
    assertThat(document("polled")).isEqualTo("{\"data\":{\"v\":2},\"meta\":{}}");
  }

  @Test
  void shouldEmitPatchesByRecordKeyThatApplyToThePreviousDocumentWhenArrayKeysAreSet() {
    registrations.pipeInput("keyed", registration("keyed").setArrayKeys(Map.of("/items", "id"))
        .setUnorderedArrays(List.of("/tags")).build());
    polls.pipeInput("keyed", poll("keyed", "{\"tags\":[\"a\",\"b\"],\"items\":[{\"id\":1,\"p\":10},{\"id\":2,\"p\":20}]}"));
    String before = document("keyed");
    polls.pipeInput("keyed", poll("keyed", "{\"tags\":[\"b\",\"a\"],\"items\":[{\"id\":2,\"p\":20},{\"id\":1,\"p\":10}]}"));
    polls.pipeInput("keyed", poll("keyed",
        "{\"tags\":[\"b\",\"c\",\"a\"],\"items\":[{\"id\":3,\"p\":30},{\"id\":2,\"p\":21},{\"id\":1,\"p\":10}]}"));

    List<Change> emitted = changes.readValuesToList();
    assertThat(emitted).hasSize(1); // the reordering alone is no change
    var patch = CanonicalJson.parse(emitted.getFirst().getPatch().getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(patch).hasSize(3);
    assertThat(emitted.getFirst().getPatch()).contains("{\"op\":\"add\",\"path\":\"/items/3\",\"value\":{\"id\":3,\"p\":30}}")
        .contains("{\"op\":\"replace\",\"path\":\"/items/2/p\",\"value\":21}")
        .contains("{\"op\":\"add\",\"path\":\"/tags/2\",\"value\":\"c\"}");
    var previous = CanonicalJson.parse(before.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(CanonicalJson.text(JsonPatch.apply(patch, previous))).isEqualTo(document("keyed"));
  }

  @Test
  void shouldCountChangesPerNormalisedPathAndSuggestTheVolatileOnesWhenSampled() {
    registrations.pipeInput("vol", registration("vol").build());
    for (int i = 0; i < 20; i++) {
      polls.pipeInput("vol", poll("vol", "{\"ts\":" + i + ",\"items\":[{\"price\":" + (i / 10) + "},{\"price\":1}]}"));
    }

    FieldFrequency minute = fieldWindow("vol", TimeWindow.ONE_MINUTE);
    assertThat(minute.getSamples()).isEqualTo(20);
    assertThat(minute.getChanges()).isEqualTo(19);
    Map<String, Long> byPath = new HashMap<>();
    minute.getPaths().forEach(p -> byPath.put(p.getPath(), p.getChanges()));
    assertThat(byPath).containsExactlyInAnyOrderEntriesOf(Map.of("/ts", 19L, "/items/*/price", 1L));
    assertThat(VolatileFields.suggest(minute)).extracting(VolatileFields.Suggestion::pattern).containsExactly("/ts");

    // what the topic carries equals what the stores hold, window by window
    Map<String, FieldFrequency> emitted = new HashMap<>();
    for (KeyValue<String, FieldFrequency> record : fields.readKeyValuesToList()) {
      emitted.put(record.key, record.value);
    }
    Map<String, FieldFrequency> stored = new HashMap<>();
    for (TimeWindow window : TimeWindow.values()) {
      WindowStore<String, FieldFrequency> store = topology.windowStore(StoreNames.fields(window));
      try (KeyValueIterator<Windowed<String>, FieldFrequency> all = store.all()) {
        all.forEachRemaining(e -> stored.put(e.key.key() + "@" + window.label() + "@"
            + Instant.ofEpochMilli(e.key.window().start()), e.value));
      }
    }
    assertThat(stored).hasSize(3);
    assertThat(emitted).isEqualTo(stored);
    assertThat(emitted.get("vol@1m@" + START).getPaths()).extracting(FieldChanges::getPath).contains("/ts");

    // the suggested rule, added: the timestamp no longer counts as a change
    registrations.pipeInput("vol", registration("vol").setIgnore(List.of("/ts")).setVersion(2).build());
    long before = status("vol").getChanges();
    for (int i = 20; i < 25; i++) {
      polls.pipeInput("vol", poll("vol", "{\"ts\":" + i + ",\"items\":[{\"price\":1},{\"price\":1}]}"));
    }
    assertThat(status("vol").getChanges() - before).isEqualTo(1); // the rule change itself: /ts removed once
  }

  @Test
  void shouldCompareByHashAndKeepAHashSeriesWhenThePayloadIsNotJson() {
    registrations.pipeInput("html", registration("html").build());
    polls.pipeInput("html", poll("html", "<html>one</html>"));
    polls.pipeInput("html", poll("html", "<html>one</html>"));
    polls.pipeInput("html", poll("html", "<html>two</html>"));

    assertThat(changes.readValuesToList()).singleElement().satisfies(change -> assertThat(change.getPatch()).isNull());
    List<Execution> log = List.of(execution("html", 1), execution("html", 2), execution("html", 3));
    assertThat(log).allSatisfy(e -> assertThat(e.getJson()).isFalse());
    assertThat(log.get(0).getContentHash()).isNotNull().isEqualTo(log.get(1).getContentHash());
    assertThat(log.get(2).getContentHash()).isNotNull().isNotEqualTo(log.get(1).getContentHash());
    FieldFrequency minute = fieldWindow("html", TimeWindow.ONE_MINUTE);
    assertThat(minute.getNotJsonSamples()).isEqualTo(3);
    assertThat(minute.getChanges()).isEqualTo(1);
    assertThat(minute.getPaths()).isEmpty();
  }

  @Test
  void shouldApplyTheCurrentRulesToTheWholeRangeWhenReplaying() throws Exception {
    topology.close();
    TopologyConfig live = TopologyFixture.config(Map.of());
    Registration today = registration("old").setIgnore(List.of("/requestId")).setVersion(2).build();
    TopologyConfig replay = live.asReplay("replay-rules", Files.createTempDirectory("seismo-ttd-replay"),
        new TopologyConfig.Replay("replay-rules.", java.util.Optional.empty(), java.util.Optional.empty(), Map.of(),
            Map.of("old", today)));
    topology = TopologyFixture.start(START, replay);
    TestInputTopic<String, Registration> recorded = topology.input(Topics.REGISTRATIONS, START, Duration.ZERO);
    TestInputTopic<String, PollResult> history = topology.input(Topics.RAW_POLLS, START, Duration.ofSeconds(1));
    TestOutputTopic<String, Change> replayed = topology.output(Topics.CHANGES.named("replay-rules." + Topics.CHANGES.name()));
    recorded.pipeInput("old", registration("old").build()); // as registered back then: no rules
    for (int i = 0; i < 4; i++) {
      history.pipeInput("old", poll("old", "{\"requestId\":" + i + ",\"v\":" + (i / 2) + "}"));
    }
    assertThat(replayed.readValuesToList()).extracting(Change::getPatch)
        .containsExactly("[{\"op\":\"replace\",\"path\":\"/v\",\"value\":1}]");
  }

  private FieldFrequency fieldWindow(String apiId, TimeWindow window) {
    return topology.<FieldFrequency>windowStore(StoreNames.fields(window)).fetch(apiId, window.startOf(START.toEpochMilli()));
  }

  private Execution execution(String apiId, long n) {
    return topology.<Execution>store(StoreNames.EXECUTIONS).get(RingKeys.EXECUTIONS.key(apiId, n));
  }

  private ApiStatus status(String apiId) {
    return topology.<ApiStatus>store(StoreNames.STATUS).get(apiId);
  }

  private String document(String apiId) {
    return new String(topology.<byte[]>store(StoreNames.DOCUMENTS).get(apiId), StandardCharsets.UTF_8);
  }

  private static Registration.Builder registration(String apiId) {
    return Registration.newBuilder().setApiId(apiId).setUrl("https://example.org/" + apiId).setPollIntervalMs(5_000)
        .setDesiredState(DesiredState.RUNNING);
  }

  private PollResult poll(String apiId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return PollResult.newBuilder().setApiId(apiId).setSequence(++sequence).setRequestedAt(START.plusMillis(sequence * 100))
        .setLatencyMs(12).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(bytes.length)
        .setBodyBytes(bytes.length).setBody(ByteBuffer.wrap(bytes)).build();
  }

  private SseEvent event(String apiId, String type, String data) {
    return SseEvent.newBuilder().setApiId(apiId).setConnectionId("c1").setKind(SseEventKind.EVENT).setEventType(type)
        .setEventId(Long.toString(++sequence)).setData(data).setBytes(data.length() + 20)
        .setReceivedAt(START.plusMillis(sequence * 100)).build();
  }
}
