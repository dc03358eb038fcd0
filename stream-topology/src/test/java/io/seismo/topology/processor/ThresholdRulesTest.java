package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.AlertRule;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Incident;
import io.seismo.schemas.IncidentState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.RuleKind;
import io.seismo.schemas.TimeRange;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyFixture;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alert rules as a user sees them on {@code seismo.alerts}: one THRESHOLD alert per incident, one
 * RECOVERED when it clears, no flapping inside the rule's minimum duration, reminders, silences, and
 * NO_CHANGE on the wall clock. The wall clock and the sample times move together here.
 */
class ThresholdRulesTest {

  private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

  private TopologyFixture topology;
  private TestInputTopic<String, Registration> registrations;
  private TestInputTopic<String, PollResult> polls;
  private TestOutputTopic<String, Alert> alertTopic;
  /** The alerts of rules (the API's STALLED / RECOVERED state alerts are another test's business). */
  private final RuleAlerts alerts = new RuleAlerts();

  private final class RuleAlerts {
    List<Alert> readValuesToList() {
      return alertTopic.readValuesToList().stream().filter(alert -> alert.getRuleId() != null).toList();
    }
  }
  private Instant clock = START;
  private long sequence;

  @BeforeEach
  void start() throws Exception {
    topology = TopologyFixture.start(START, Map.of());
    registrations = topology.input(Topics.REGISTRATIONS);
    polls = topology.input(Topics.RAW_POLLS);
    alertTopic = topology.output(Topics.ALERTS);
  }

  @AfterEach
  void stop() {
    topology.close();
  }

  @Test
  void shouldOpenOneIncidentAndCloseItWithRecoveredWhenTheErrorRateCrossesTheThresholdAndClears() {
    register(List.of(rule("errors", RuleKind.ERROR_RATE).setWindow("1m").setAbove(40.0).build()), List.of());
    poll(200, 10);
    poll(503, 10); // 50% > 40%: opens
    poll(503, 10); // still above: no second alert
    assertThat(alerts.readValuesToList()).extracting(Alert::getKind).containsExactly(AlertKind.THRESHOLD);

    advanceToNextMinute(); // a new 1m window: the rate starts again
    poll(200, 10);

    List<Alert> raised = alerts.readValuesToList();
    assertThat(raised).extracting(Alert::getKind).containsExactly(AlertKind.RECOVERED);
    assertThat(raised.getFirst().getRuleId()).isEqualTo("errors");
    assertThat(incident("errors").getState()).isEqualTo(IncidentState.OK);
  }

  @Test
  void shouldNotFlapWhenTheConditionClearsForLessThanTheMinimumDuration() {
    register(List.of(rule("slow", RuleKind.PAYLOAD_SIZE).setAbove(100.0).setForMs(30_000L).build()), List.of());
    poll(200, 10, 200); // above: PENDING, not yet open
    assertThat(alerts.readValuesToList()).isEmpty();
    assertThat(incident("slow").getState()).isEqualTo(IncidentState.PENDING);
    tick(Duration.ofSeconds(35)); // held 35 s > 30 s: opens on the wall-clock tick, without a sample
    List<Alert> opened = alerts.readValuesToList();
    assertThat(opened).extracting(Alert::getKind).containsExactly(AlertKind.THRESHOLD);

    poll(200, 10, 50);  // clear for a moment
    tick(Duration.ofSeconds(10));
    poll(200, 10, 200); // back above within 30 s: the same incident goes on
    tick(Duration.ofSeconds(10));
    poll(200, 10, 50);
    tick(Duration.ofSeconds(35)); // clear for 35 s: closes

    List<Alert> raised = alerts.readValuesToList();
    assertThat(raised).extracting(Alert::getKind).containsExactly(AlertKind.RECOVERED);
    assertThat(raised.getFirst().getIncidentId()).isEqualTo(opened.getFirst().getIncidentId());
  }

  @Test
  void shouldRaiseThresholdWhenNothingChangedForLongerThanThePeriodAndRecoverOnTheNextChange() {
    register(List.of(rule("hourly", RuleKind.NO_CHANGE).setPeriodMs(Duration.ofMinutes(2).toMillis()).build()), List.of());
    poll(200, 10, "{\"v\":1}");
    for (int i = 0; i < 10; i++) { // polled every 15 s, never changing
      tick(Duration.ofSeconds(15));
      poll(200, 10, "{\"v\":1}");
    }
    List<Alert> opened = alerts.readValuesToList();
    assertThat(opened).extracting(Alert::getKind).containsExactly(AlertKind.THRESHOLD);
    assertThat(opened.getFirst().getDetail()).contains("no change for");

    tick(Duration.ofSeconds(15));
    poll(200, 10, "{\"v\":2}");
    tick(Duration.ofSeconds(5));
    assertThat(alerts.readValuesToList()).extracting(Alert::getKind).containsExactly(AlertKind.RECOVERED);
  }

  @Test
  void shouldRaiseNoAlertInsideASilenceAndAnnounceAStillOpenIncidentWhenItEnds() {
    long silenceEnd = START.plus(Duration.ofMinutes(1)).toEpochMilli();
    register(List.of(rule("ok", RuleKind.POINTER).setPointer("/status").setOp("==").setValue("\"ok\"").build()),
        List.of(new TimeRange(START.toEpochMilli(), silenceEnd, "deploy")));
    poll(200, 10, "{\"status\":\"degraded\"}");
    tick(Duration.ofSeconds(30));
    assertThat(alerts.readValuesToList()).isEmpty();
    assertThat(incident("ok").getState()).isEqualTo(IncidentState.OPEN);

    tick(Duration.ofSeconds(35)); // the silence is over, the document still says degraded
    List<Alert> raised = alerts.readValuesToList();
    assertThat(raised).extracting(Alert::getKind).containsExactly(AlertKind.THRESHOLD);
    assertThat(raised.getFirst().getDetail()).contains("does not match /status == \"ok\"");
  }

  @Test
  void shouldRemindWhileTheIncidentLastsWhenAReminderIsSet() {
    register(List.of(rule("big", RuleKind.PAYLOAD_SIZE).setAbove(10.0).setReminderMs(60_000L).build()), List.of());
    poll(200, 10, "{\"payload\":\"0123456789\"}");
    for (int i = 0; i < 5; i++) {
      tick(Duration.ofSeconds(30));
    }
    // opened at 0 s, reminded at 60 s and 120 s (the ticks at 30 s steps): 3 alerts, one incident
    List<Alert> raised = alerts.readValuesToList();
    assertThat(raised).extracting(Alert::getKind).containsExactly(AlertKind.THRESHOLD, AlertKind.THRESHOLD,
        AlertKind.THRESHOLD);
    assertThat(raised).extracting(Alert::getIncidentId).containsOnly(raised.getFirst().getIncidentId());
  }

  private static AlertRule.Builder rule(String id, RuleKind kind) {
    return AlertRule.newBuilder().setId(id).setKind(kind);
  }

  private void register(List<AlertRule> rules, List<TimeRange> silences) {
    registrations.pipeInput("api", Registration.newBuilder().setApiId("api").setUrl("https://example.org/api")
        .setPollIntervalMs(15_000).setDesiredState(DesiredState.RUNNING).setUpdatedAt(clock).setCreatedAt(clock)
        .setRules(rules).setSilences(silences).build(), clock);
  }

  private Incident incident(String ruleId) {
    KeyValueStore<String, Incident> store = topology.store(StoreNames.INCIDENTS);
    return store.get("api\u0000" + ruleId);
  }

  private void tick(Duration duration) {
    clock = clock.plus(duration);
    topology.advanceWallClockTime(duration);
  }

  private void advanceToNextMinute() {
    tick(Duration.ofMillis(60_000 - clock.toEpochMilli() % 60_000));
  }

  private void poll(int status, long latency) {
    poll(status, latency, "{\"v\":1}");
  }

  private void poll(int status, long latency, int size) {
    poll(status, latency, "{\"p\":\"" + "x".repeat(Math.max(0, size - 8)) + "\"}");
  }

  private void poll(int status, long latency, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    PollResult.Builder poll = PollResult.newBuilder().setApiId("api").setSequence(++sequence).setRequestedAt(clock)
        .setLatencyMs(latency).setHttpStatus(status).setHeaderBytes(100);
    if (status == 200) {
      poll.setWireBodyBytes(body.length).setBodyBytes(body.length).setBody(ByteBuffer.wrap(body));
    } else {
      poll.setError(new io.seismo.schemas.SampleError(io.seismo.schemas.ErrorCategory.HTTP_STATUS, "HTTP " + status));
    }
    polls.pipeInput("api", poll.build(), clock);
  }
}
