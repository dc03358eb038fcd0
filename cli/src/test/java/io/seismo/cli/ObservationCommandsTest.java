package io.seismo.cli;

import static io.seismo.cli.FakeControlApi.eventStream;
import static io.seismo.cli.FakeControlApi.json;
import static io.seismo.cli.FakeControlApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.cli.FakeControlApi.Bodies;
import io.seismo.cli.FakeControlApi.Run;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** status, metrics, changes, logs, alerts and tail against a stand-in control API. */
class ObservationCommandsTest {

  private static final String METRICS = """
      {"apiId":"weather","window":"1h","from":"2026-11-24T10:00:00Z","to":"2026-11-24T12:00:00Z","items":[\
      {"windowStart":"2026-11-24T10:00:00Z","windowEnd":"2026-11-24T11:00:00Z","samples":60,"payloads":55,\
      "notModified":5,"changes":4,"changeRatio":0.07,"meanChangeIntervalMs":900000.0,"maxChangeIntervalMs":1200000,\
      "errors":0,"errorsByCategory":{},"sizeMin":1500,"sizeMean":1536.4,"sizeMax":1600,"latencyP50Ms":80.0,\
      "latencyP95Ms":140.5,"latencyP99Ms":180.0,"latencyMaxMs":200,"efficiency":{"bytesPolled":92160}},\
      {"windowStart":"2026-11-24T11:00:00Z","windowEnd":"2026-11-24T12:00:00Z","samples":0,"payloads":0,\
      "notModified":0,"changes":0,"changeRatio":null,"meanChangeIntervalMs":null,"maxChangeIntervalMs":0,"errors":0,\
      "errorsByCategory":{},"sizeMin":null,"sizeMean":null,"sizeMax":null,"latencyP50Ms":null,"latencyP95Ms":null,\
      "latencyP99Ms":null,"latencyMaxMs":0,"efficiency":{}}]}""";

  private static final String CHANGES = """
      {"apiId":"weather","items":[\
      {"at":"2026-11-24T11:40:00Z","source":"POLL","sequence":12,"patch":[{"op":"replace","path":"/temp","value":21}],\
      "opCount":1,"patchBytes":44,"documentBytes":1400,"previousHash":"0d6e3a9c52f1b784","newHash":"9f2c41e07b3d8a15"},\
      {"at":"2026-11-24T11:20:00Z","source":"SSE","sequence":11,"patch":null,"opCount":0,"patchBytes":0,\
      "documentBytes":900,"previousHash":null,"newHash":"0d6e3a9c52f1b784"}]}""";

  private static final String LOGS = """
      {"apiId":"weather","items":[\
      {"entry":121,"kind":"SSE_CLOSE","sequence":0,"at":"2026-11-24T11:59:30Z","url":"https://api.example.org/v1/weather",\
      "httpStatus":0,"conditional":false,"latencyMs":0,"timings":null,"redirects":0,"requestHeaders":[],"responseHeaders":[],\
      "headerBytes":0,"wireBodyBytes":0,"bodyBytes":0,"contentType":null,"changed":false,"json":true,"error":null,\
      "contentHash":null,"connectionId":"c1","eventId":"42","connectionEvents":17,"connectionBytes":2048,\
      "connectionMs":60000,"detail":"closed by the server"},\
      {"entry":120,"kind":"POLL","sequence":120,"at":"2026-11-24T11:59:00Z","url":"https://api.example.org/v1/weather","httpStatus":200,\
      "conditional":false,"latencyMs":85,"timings":{"dnsMs":-1,"connectMs":-1,"tlsMs":-1,"firstByteMs":80,"downloadMs":3},\
      "redirects":0,"requestHeaders":[{"name":"Authorization","value":"<redacted>"}],"responseHeaders":[],\
      "headerBytes":300,"wireBodyBytes":700,"bodyBytes":1536,\
      "contentType":"application/json","changed":true,"json":true,"error":null,"contentHash":"9f2c41e07b3d8a15"},\
      {"entry":119,"kind":"POLL","sequence":119,"at":"2026-11-24T11:58:00Z","url":"https://api.example.org/v1/weather","httpStatus":0,\
      "conditional":false,"latencyMs":5000,"timings":{"dnsMs":2,"connectMs":9,"tlsMs":31,"firstByteMs":-1,"downloadMs":-1},\
      "headerBytes":0,"wireBodyBytes":0,"bodyBytes":0,"contentType":null,\
      "changed":false,"json":false,"error":{"category":"TIMEOUT","message":"no answer within 5 s"},"contentHash":null}],\
      "next":"1764755880000-119"}""";

  private static String alert(String apiId, String kind, String outcome) {
    return """
        {"id":"seismo-seismo.alerts-0-%d","apiId":"%s","kind":"%s","at":"2026-11-24T11:00:00Z","detail":"%s detail",\
        "ruleId":null,"incidentId":null,"deliveries":[%s]}""".formatted(Math.abs((apiId + kind).hashCode()), apiId, kind,
        kind, outcome == null ? "" : """
            {"index":0,"host":"hooks.example.org","fingerprint":"0123456789abcdef","outcome":"%s","attempts":1,\
            "httpStatus":200,"error":null,"at":"2026-11-24T11:00:01Z"}""".formatted(outcome));
  }

  @Test
  void shouldShowStateCountersAndSavingsWhenStatusPrintsATable() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/status", json(200, Bodies.status("weather", "FAILING")));

      Run run = api.seismo("status", "weather");

      assertThat(run.code()).as(run.err()).isZero();
      // CliIT matches "state        RUNNING" and "payload      17 bytes"
      assertThat(run.out().lines()).containsExactly("weather",
          "  state        FAILING",
          "  samples      120 (17 not modified, 3 errors)",
          "  changes      12 (12.0% of payloads)",
          "  last sample  2026-11-24T11:59:00Z HTTP 200 in 85 ms",
          "  last change  2026-11-24T11:40:00Z",
          "  payload      1536 bytes",
          "  bytes        polled 184320, conditional 150000, streamed 30000",
          "  savings      conditional 18.6%, streaming 83.7% vs plain polling");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "yaml"})
  void shouldPrintTheStatusAsServedWhenStatusIsAskedForJsonOrYaml(String format) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/status", json(200, Bodies.status("weather", "RUNNING")));

      Run run = api.seismo("status", "weather", "-o", format);

      assertThat((format.equals("json") ? ApisFile.JSON : ApisFile.YAML).readTree(run.out()))
          .isEqualTo(Bodies.parse(Bodies.status("weather", "RUNNING")));
    }
  }

  @Test
  void shouldAskForTheWindowAndPrintOneRowPerWindowWhenMetricsPrintsATable() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/metrics?window=1h&from=2026-11-24T10:00:00Z", json(200, METRICS));

      Run run = api.seismo("metrics", "weather", "--window", "1h", "--from", "2026-11-24T10:00:00Z");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out().lines()).containsExactly(
          "weather, 1h windows from 2026-11-24T10:00:00Z to 2026-11-24T12:00:00Z",
          "WINDOW                SAMPLES  CHANGES  ERRORS  P50 MS  P95 MS  MEAN BYTES",
          "2026-11-24T10:00:00Z  60       4        0       80.0    140.5   1536.4",
          "2026-11-24T11:00:00Z  0        0        0       -       -       -");
    }
  }

  @Test
  void shouldExitTwoAndSendNothingWhenTheMetricsWindowIsNotOneTheServerKeeps() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      Run run = api.seismo("metrics", "weather", "--window", "5m");

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).contains("--window must be 1m, 1h or 1d, was '5m'");
      assertThat(api.requests()).isEmpty();
    }
  }

  @Test
  void shouldAskForTheLimitAndShowEachPatchWhenChangesPrintsATable() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/changes?limit=2", json(200, CHANGES));

      Run run = api.seismo("changes", "weather", "--limit", "2");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out().lines()).containsExactly(
          "AT                    SOURCE  OPS  PATCH",
          "2026-11-24T11:40:00Z  POLL    1    [{\"op\":\"replace\",\"path\":\"/temp\",\"value\":21}]",
          "2026-11-24T11:20:00Z  SSE     0    (not JSON: compared by hash)");
    }
  }

  @Test
  void shouldAskForTheLimitAndShowErrorsWhenLogsPrintsATable() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/logs?limit=3", json(200, LOGS));

      Run run = api.seismo("logs", "weather", "--limit", "3");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out().lines()).containsExactly(
          "AT                    KIND       HTTP  MS    DNS/CONN/TLS/WAIT  BYTES  CHANGED  ERROR OR DETAIL",
          "2026-11-24T11:59:30Z  SSE_CLOSE  0     -     -                  2048   no       closed by the server (17 events)",
          "2026-11-24T11:59:00Z  POLL       200   85    -/-/-/80           1536   yes      -",
          "2026-11-24T11:58:00Z  POLL       0     5000  2/9/31/-           0      no       TIMEOUT: no answer within 5 s",
          "next: --cursor 1764755880000-119");
    }
  }

  @Test
  void shouldPassTheSourceAndCursorWhenLogsPagesThroughStreamEvents() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/logs?source=sse&cursor=1764755880000-119", json(200, "{\"apiId\":\"weather\",\"items\":[],\"next\":null}"));

      Run run = api.seismo("logs", "weather", "--source", "sse", "--cursor", "1764755880000-119");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).doesNotContain("next:");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"changes", "logs"})
  void shouldPrintTheItemsAsServedWhenChangesOrLogsAreAskedForJson(String command) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      String body = command.equals("changes") ? CHANGES : LOGS;
      api.on("GET", "/apis/weather/" + command, json(200, body));

      Run run = api.seismo(command, "weather", "-o", "json");

      assertThat(Bodies.parse(run.out())).isEqualTo(Bodies.parse(body));
    }
  }

  @Test
  void shouldAskTheServerForTheKindWhenAlertsListsTheAlertsOfAllApis() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/alerts?limit=10&kind=FAILING", json(200, "{\"items\":[" + alert("weather", "FAILING", "DELIVERED")
          + "," + alert("stocks", "FAILING", null) + "],\"next\":null}"));

      Run run = api.seismo("alerts", "--kind", "failing", "--limit", "10");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out().lines()).containsExactly(
          "AT                    API      KIND     DELIVERIES  DETAIL",
          "2026-11-24T11:00:00Z  weather  FAILING  DELIVERED   FAILING detail",
          "2026-11-24T11:00:00Z  stocks   FAILING  -           FAILING detail");
    }
  }

  @Test
  void shouldReadTheApisAlertsAndKeepOnlyThatKindWhenAlertsIsGivenAnApiId() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/alerts", json(200, "{\"apiId\":\"weather\",\"items\":["
          + alert("weather", "RECOVERED", "DELIVERED") + "," + alert("weather", "FAILING", "FAILED") + "],\"next\":null}"));

      Run run = api.seismo("alerts", "weather", "--kind", "FAILING", "-o", "json");

      assertThat(run.code()).as(run.err()).isZero();
      JsonNode printed = Bodies.parse(run.out());
      assertThat(printed.path("apiId").asText()).isEqualTo("weather");
      assertThat(printed.path("items")).containsExactly(Bodies.parse(alert("weather", "FAILING", "FAILED")));
    }
  }

  private static final String FIRST_STREAM = """
      event: data
      id: 9f2c41e07b3d8a15
      data: {"temp":20,"city":"Oslo"}

      : heartbeat

      event: patch
      id: 0d6e3a9c52f1b784
      data: [{"op":"replace","path":"/temp","value":21}]

      : the stream ends after SEISMO_API_STREAM_MAX_AGE

      """;

  private static final String SECOND_STREAM = """
      event: patch
      id: 7b3d8a159f2c41e0
      data: [{"op":"replace","path":"/temp","value":22}]

      """;

  @Test
  void shouldFollowTheStreamAndReconnectWithTheLastEventIdWhenTheServerEndsIt() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/stream", eventStream(FIRST_STREAM), eventStream(SECOND_STREAM));

      Run run = api.seismo("tail", "weather", "--count", "3");

      assertThat(run.code()).as(run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).matches("\\S+Z data  9f2c41e07b3d8a15 \\{\"temp\":20,\"city\":\"Oslo\"}");
      assertThat(lines.get(1)).matches("\\S+Z patch 0d6e3a9c52f1b784 \\[\\{\"op\":\"replace\",\"path\":\"/temp\",\"value\":21}]");
      assertThat(lines.get(2)).endsWith("patch 7b3d8a159f2c41e0 [{\"op\":\"replace\",\"path\":\"/temp\",\"value\":22}]");
      List<FakeControlApi.Request> requests = api.requests();
      assertThat(requests).hasSize(2);
      assertThat(requests).allSatisfy(request -> {
        assertThat(request.header("Accept")).isEqualTo("text/event-stream");
        assertThat(request.header("Authorization")).isEqualTo("Bearer env-token");
      });
      assertThat(requests.get(0).header("Last-Event-ID")).isNull();
      assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo("0d6e3a9c52f1b784");
    }
  }

  @Test
  void shouldPrintOneJsonObjectPerLineWhenTailIsAskedForJson() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/stream", eventStream(FIRST_STREAM));

      Run run = api.seismo("tail", "weather", "-n", "2", "-o", "json");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out().lines().map(Bodies::parse)).containsExactly(
          Bodies.parse("{\"event\":\"data\",\"id\":\"9f2c41e07b3d8a15\",\"data\":{\"temp\":20,\"city\":\"Oslo\"}}"),
          Bodies.parse("{\"event\":\"patch\",\"id\":\"0d6e3a9c52f1b784\",\"data\":[{\"op\":\"replace\",\"path\":\"/temp\",\"value\":21}]}"));
      assertThat(api.requests()).as("stops after the second event, no reconnection").hasSize(1);
    }
  }

  @Test
  void shouldPrintEachEventAsAYamlDocumentWhenTailIsAskedForYaml() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/stream", eventStream(FIRST_STREAM));

      Run run = api.seismo("tail", "weather", "-n", "2", "-o", "yaml");

      assertThat(run.code()).as(run.err()).isZero();
      List<JsonNode> documents = ApisFile.YAML.readerFor(JsonNode.class).<JsonNode>readValues(run.out()).readAll();
      assertThat(documents).extracting(document -> document.path("id").asText())
          .containsExactly("9f2c41e07b3d8a15", "0d6e3a9c52f1b784");
    }
  }

  @Test
  void shouldExitThreeWithTheServersDetailWhenTheStreamSendsAnErrorEvent() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather/stream", eventStream(FIRST_STREAM.substring(0, FIRST_STREAM.indexOf(": heartbeat"))
          + "event: error\ndata: {\"detail\":\"the document of weather cannot be read\"}\n\n"));

      Run run = api.seismo("tail", "weather");

      assertThat(run.code()).isEqualTo(3);
      assertThat(run.out().lines()).hasSize(1);
      assertThat(run.err().strip()).isEqualTo("seismo: the stream of weather ended: the document of weather cannot be read");
    }
  }

  @Test
  void shouldExitOneWithTheProblemWhenTheStreamIsRefused() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/nope/stream", problem(404, "not-found", "Not found", "no API with apiId 'nope'"));

      Run run = api.seismo("tail", "nope");

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err().strip()).isEqualTo("seismo: HTTP 404: no API with apiId 'nope' (Not found)");
    }
  }
}
