package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.FieldFrequency;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a consumer of {@code seismo.metrics} and {@code seismo.status} sees after each commit equals what
 * the stores hold: windows and statuses go out with the commit that stores them, not on a wall-clock timer
 * that a shutdown, a rebalance or the end of a replay may never reach. The wall clock never moves here.
 */
class TopicsEqualStoresTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestOutputTopic<String, ApiStatus> status;
  private TestOutputTopic<String, ApiMetrics> metrics;
  private TestOutputTopic<String, FieldFrequency> fields;
  private long sequence;

  @BeforeEach
  void setUp() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    registrations = topology.input(Topics.REGISTRATIONS, START, Duration.ZERO);
    polls = topology.input(Topics.RAW_POLLS, START, Duration.ofSeconds(1));
    status = topology.output(Topics.STATUS);
    metrics = topology.output(Topics.METRICS);
    fields = topology.output(Topics.FIELD_CHANGES);
  }

  @AfterEach
  void tearDown() {
    topology.close();
  }

  @Test
  void shouldEmitEveryStoredWindowAndStatusWhenCommittedWithoutWallClockAdvancing() {
    for (String apiId : new String[] {"a", "b"}) {
      registrations.pipeInput(apiId, Registration.newBuilder().setApiId(apiId).setUrl("https://example.org/" + apiId)
          .setPollIntervalMs(5_000).setDesiredState(DesiredState.RUNNING).build());
    }
    for (int i = 0; i < 7; i++) {
      polls.pipeInput("a", ok("a", "{\"v\":" + (i / 2) + "}"));
      if (i % 2 == 0) {
        polls.pipeInput("b", ok("b", "{\"w\":" + i + "}"));
      }
    }

    Map<String, ApiMetrics> emittedWindows = latestByKey(metrics);
    Map<String, ApiStatus> emittedStatuses = latestByKey(status);
    Map<String, FieldFrequency> emittedFields = latestByKey(fields);
    Map<String, ApiMetrics> storedWindows = new HashMap<>();
    Map<String, FieldFrequency> storedFields = new HashMap<>();
    for (TimeWindow window : TimeWindow.values()) {
      WindowStore<String, FieldFrequency> fieldStore = topology.windowStore(StoreNames.fields(window));
      try (KeyValueIterator<Windowed<String>, FieldFrequency> all = fieldStore.all()) {
        all.forEachRemaining(entry -> storedFields.put(entry.key.key() + "@" + window.label() + "@"
            + Instant.ofEpochMilli(entry.key.window().start()), entry.value));
      }
      WindowStore<String, ApiMetrics> store = topology.windowStore(StoreNames.metrics(window));
      try (KeyValueIterator<Windowed<String>, ApiMetrics> all = store.all()) {
        all.forEachRemaining(entry -> storedWindows.put(entry.key.key() + "@" + window.label() + "@"
            + Instant.ofEpochMilli(entry.key.window().start()), entry.value));
      }
    }
    Map<String, ApiStatus> storedStatuses = new HashMap<>();
    KeyValueStore<String, ApiStatus> statusStore = topology.store(StoreNames.STATUS);
    try (KeyValueIterator<String, ApiStatus> all = statusStore.all()) {
      all.forEachRemaining(entry -> storedStatuses.put(entry.key, entry.value));
    }

    assertThat(storedWindows).hasSize(6);
    assertThat(emittedWindows).isEqualTo(storedWindows);
    assertThat(emittedStatuses).isEqualTo(storedStatuses);
    assertThat(storedFields).hasSize(6);
    assertThat(emittedFields).isEqualTo(storedFields);
    assertThat(emittedFields.get("a@1m@" + START).getSamples()).isEqualTo(7);
    assertThat(emittedStatuses.get("a").getSamples()).isEqualTo(7);
    assertThat(emittedStatuses.get("b").getSamples()).isEqualTo(4);
  }

  private static <V> Map<String, V> latestByKey(TestOutputTopic<String, V> topic) {
    Map<String, V> latest = new HashMap<>();
    for (KeyValue<String, V> record : topic.readKeyValuesToList()) {
      latest.put(record.key, record.value);
    }
    return latest;
  }

  private PollResult ok(String apiId, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return PollResult.newBuilder().setApiId(apiId).setSequence(++sequence).setRequestedAt(START.plusSeconds(sequence))
        .setLatencyMs(12).setHttpStatus(200).setHeaderBytes(100).setWireBodyBytes(bytes.length)
        .setBodyBytes(bytes.length).setBody(ByteBuffer.wrap(bytes)).build();
  }
}
