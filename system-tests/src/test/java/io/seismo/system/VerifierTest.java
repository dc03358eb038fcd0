package io.seismo.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The verifier's checks on data made here: a run in which every poll was counted once passes, and
 * each way of breaking exactly-once the chaos run hunts for fails it — a poll counted twice (what a
 * topology on at_least_once does after a kill), a poll missing inside a job's run, a broken chain of
 * changes, a store that differs from its output topic, an unexplained gap, a lost registration.
 */
class VerifierTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = Instant.parse("2026-12-02T21:00:50Z").toEpochMilli();
  private static final long BASE = T0 * 1000;
  private static final String ID = "api-a";

  private final Verifier.Api api = new Verifier.Api(ID, false, 2000);
  private final Verifier.Raw raw = new Verifier.Raw();
  private final Map<String, ApiStatus> statuses = new HashMap<>();
  private final Map<String, List<Change>> changes = new HashMap<>();
  private final Map<String, Map<String, Map<Long, ApiMetrics>>> metrics = new HashMap<>();
  private final Map<String, Registration> registrations = new HashMap<>();

  /** Ten polls 2 s apart (two 1m windows), two changes; status, windows and stores all agree. */
  private void consistentRun() {
    for (int i = 0; i < 10; i++) {
      raw.pollTimes.put(BASE + i, T0 + i * 2000L);
      raw.sampleTimes.add(T0 + i * 2000L);
    }
    changes.put(ID, new ArrayList<>(List.of(change(BASE + 3, "h0", "h1"), change(BASE + 7, "h1", "h2"))));
    statuses.put(ID, ApiStatus.newBuilder().setApiId(ID).setState(ApiState.RUNNING).setSamples(10).setChanges(2)
        .setPayloads(10).setLastContentHash("h2").build());
    windows("1m", Map.of(T0 - 50_000, 5L, T0 + 10_000, 5L));
    windows("1h", Map.of(T0 - 50_000, 10L));
    windows("1d", Map.of(T0 - 50_000 - 21 * 3_600_000L, 10L));
    registrations.put(ID, Registration.newBuilder().setApiId(ID).setUrl("http://localhost/x").setCreatedAt(Instant.EPOCH)
        .setUpdatedAt(Instant.EPOCH).build());
  }

  private void windows(String window, Map<Long, Long> samplesByStart) {
    Map<Long, ApiMetrics> byStart = new TreeMap<>();
    samplesByStart.forEach((start, samples) -> byStart.put(start, ApiMetrics.newBuilder().setApiId(ID).setWindow(window)
        .setWindowStart(start).setWindowEnd(start + 1).setSamples(samples).setPayloads(samples).build()));
    metrics.computeIfAbsent(ID, k -> new HashMap<>()).put(window, byStart);
  }

  private static Change change(long sequence, String previous, String next) {
    return Change.newBuilder().setApiId(ID).setSource(Source.POLL).setAt(Instant.EPOCH).setSequence(sequence)
        .setPreviousHash(previous).setNewHash(next).build();
  }

  /** Stores that answer what the output topics hold (or what {@code storeSamples} says for the status). */
  private Verifier.Stores stores(long storeSamples) {
    return new Verifier.Stores() {
      @Override
      public JsonNode status(String apiId, int index) {
        ApiStatus s = statuses.get(apiId);
        ObjectNode view = JSON.createObjectNode().put("samples", storeSamples).put("changes", s.getChanges())
            .put("errors", s.getErrors()).put("notModified", s.getNotModified()).put("payloads", s.getPayloads());
        view.put("lastContentHash", s.getLastContentHash());
        return view;
      }

      @Override
      public JsonNode metrics(String apiId, String window, Instant from, Instant to, int index) {
        ArrayNode items = JSON.createArrayNode();
        metrics.get(apiId).get(window).values().forEach(m -> items.addObject()
            .put("windowStart", Instant.ofEpochMilli(m.getWindowStart()).toString()).put("samples", m.getSamples())
            .put("changes", m.getChanges()).put("errors", m.getErrors()).put("payloads", m.getPayloads()));
        ObjectNode body = JSON.createObjectNode();
        body.set("items", items);
        return body;
      }

      @Override
      public int registration(String apiId) {
        return registrations.containsKey(apiId) ? 200 : 404;
      }
    };
  }

  private Verifier.Result check(List<ChaosEvent> events, long storeSamples) {
    return Verifier.check(List.of(api), Map.of(ID, raw), new Verifier.Outputs(statuses, changes, metrics, registrations),
        stores(storeSamples), events, Set.of(ID));
  }

  @Test
  void shouldPassWhenEveryPollIsCountedOnce() {
    consistentRun();

    Verifier.Result result = check(List.of(), 10);

    assertThat(result.failures()).isEmpty();
    assertThat(result.figures()).containsEntry("samples", 10L).containsEntry("changes", 2L);
  }

  @Test
  void shouldFailWhenAPollIsCountedTwiceAsAtLeastOnceDoesAfterACrash() {
    consistentRun();
    statuses.put(ID, ApiStatus.newBuilder(statuses.get(ID)).setSamples(11).build());
    windows("1m", Map.of(T0 - 50_000, 6L, T0 + 10_000, 5L));

    Verifier.Result result = check(List.of(), 11);

    assertThat(result.failures()).contains(ID + ": status samples 11 != 10 distinct raw samples")
        .anyMatch(f -> f.contains("window 1m@2026-12-02T21:00:00Z has 6 samples"));
  }

  @Test
  void shouldFailWhenAPollIsMissingInsideAJobRun() {
    consistentRun();
    raw.pollTimes.remove(BASE + 4);

    assertThat(check(List.of(), 10).failures()).contains(ID + ": 1 poll(s) missing inside one job run after sequence " + (BASE + 3));
  }

  @Test
  void shouldFailWhenTheChainOfChangesBreaks() {
    consistentRun();
    changes.get(ID).set(1, change(BASE + 7, "hX", "h2"));

    assertThat(check(List.of(), 10).failures()).anyMatch(f -> f.contains("change chain broken at change 2"));
  }

  @Test
  void shouldFailWhenAPollSequenceIsAnalysedTwice() {
    consistentRun();
    changes.get(ID).add(change(BASE + 7, "h2", "h2"));
    statuses.put(ID, ApiStatus.newBuilder(statuses.get(ID)).setChanges(3).build());

    assertThat(check(List.of(), 10).failures()).contains(ID + ": poll sequence " + (BASE + 7) + " analysed twice (two changes)");
  }

  @Test
  void shouldFailWhenTheStoreDiffersFromTheOutputTopic() {
    consistentRun();

    assertThat(check(List.of(), 9).failures()).contains(ID + ": status samples in the store (REST) 9 != 10 on the output topic");
  }

  @Test
  void shouldExcuseAGapBetweenJobRunsOnlyWhileAnIngestWasDown() {
    consistentRun();
    long restart = T0 + 60_000; // a second run 42 s after the first ended: the job moved to another instance
    raw.pollTimes.put(restart * 1000, restart);
    raw.sampleTimes.add(restart);
    statuses.put(ID, ApiStatus.newBuilder(statuses.get(ID)).setSamples(11).build());
    windows("1m", Map.of(T0 - 50_000, 5L, T0 + 10_000, 6L));
    windows("1h", Map.of(T0 - 50_000, 11L));
    windows("1d", Map.of(T0 - 50_000 - 21 * 3_600_000L, 11L));

    assertThat(check(List.of(), 11).failures()).singleElement().asString().contains("gap in polling");
    ChaosEvent topologyKill = new ChaosEvent(ChaosEvent.Kind.KILL_TOPOLOGY, "api-1", Instant.ofEpochMilli(T0 + 20_000),
        Instant.ofEpochMilli(T0 + 50_000), "");
    assertThat(check(List.of(topologyKill), 11).failures()).as("a topology kill stops no poll").hasSize(1);
    ChaosEvent ingestKill = new ChaosEvent(ChaosEvent.Kind.KILL_INGEST, "ingest-1", Instant.ofEpochMilli(T0 + 20_000),
        Instant.ofEpochMilli(T0 + 50_000), "");
    Verifier.Result result = check(List.of(ingestKill), 11);
    assertThat(result.failures()).isEmpty();
    assertThat(result.figures()).containsEntry("gaps", 1);
  }

  @Test
  void shouldFailWhenAnAcknowledgedRegistrationIsLost() {
    consistentRun();
    registrations.clear();

    assertThat(check(List.of(), 10).failures()).anyMatch(f -> f.startsWith(ID + ": acknowledged registration lost"));
  }
}
