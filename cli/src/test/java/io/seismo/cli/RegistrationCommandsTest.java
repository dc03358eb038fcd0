package io.seismo.cli;

import static io.seismo.cli.FakeControlApi.json;
import static io.seismo.cli.FakeControlApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.cli.FakeControlApi.Bodies;
import io.seismo.cli.FakeControlApi.Response;
import io.seismo.cli.FakeControlApi.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** list, get, register, update, delete, start, stop and notify against a stand-in control API. */
class RegistrationCommandsTest {

  private static final String REGISTRATION = Bodies.registration("weather", 3, "RUNNING");

  @TempDir
  Path dir;

  private static Response page(String next, String... items) {
    return json(200, "{\"items\":[" + String.join(",", items) + "],\"next\":" + (next == null ? "null" : "\"" + next + "\"") + "}");
  }

  private static Response registration() {
    return json(200, REGISTRATION).withHeader("ETag", Bodies.ETAG_V3);
  }

  @Test
  void shouldFollowEveryPageAndPrintOneAlignedRowPerApiWhenListPrintsATable() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis?limit=500&include=status", page("b", Bodies.listed("a", "RUNNING", "FAILING"),
          Bodies.listed("b", "STOPPED", "STOPPED")));
      api.on("GET", "/apis?limit=500&include=status&after=b", page(null, Bodies.listed("c-longer-id", "RUNNING", null)));

      Run run = api.seismo("list");

      assertThat(run.code()).as(run.err()).isZero();
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0)).startsWith("API          DESIRED  STATE    INTERVAL  URL");
      assertThat(lines.get(1)).isEqualTo("a            RUNNING  FAILING  1m        https://api.example.org/v1/a");
      assertThat(lines.get(2)).isEqualTo("b            STOPPED  STOPPED  1m        https://api.example.org/v1/b");
      assertThat(lines.get(3)).as("not analysed yet: PENDING")
          .isEqualTo("c-longer-id  RUNNING  PENDING  1m        https://api.example.org/v1/c-longer-id");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"RUNNING", "stopped"})
  void shouldAskTheServerToFilterWhenListFiltersByADesiredState(String state) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      String query = "/apis?limit=500&include=status&state=" + state.toUpperCase(Locale.ROOT);
      api.on("GET", query, page(null, Bodies.listed("a", state.toUpperCase(Locale.ROOT), "RUNNING")));

      Run run = api.seismo("list", "--state", state);

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(api.only("GET", query)).isNotNull();
      assertThat(run.out()).contains("\na ");
    }
  }

  @Test
  void shouldKeepOnlyTheApisInThatAnalysedStateWhenListFiltersByFailing() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis?limit=500&include=status", page(null, Bodies.listed("a", "RUNNING", "FAILING"),
          Bodies.listed("b", "RUNNING", "RUNNING"), Bodies.listed("c", "RUNNING", null),
          Bodies.listed("d", "RUNNING", "FAILING")));

      Run run = api.seismo("list", "--state", "FAILING", "-o", "json");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(Bodies.parse(run.out()).path("items")).extracting(item -> item.path("apiId").asText())
          .containsExactly("a", "d");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "yaml"})
  void shouldPrintTheServersItemsOfEveryPageWhenListIsAskedForJsonOrYaml(String format) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis?limit=500&include=status", page("a", Bodies.listed("a", "RUNNING", "RUNNING")));
      api.on("GET", "/apis?limit=500&include=status&after=a", page(null, Bodies.listed("b", "STOPPED", null)));

      Run run = api.seismo("list", "--output", format);

      assertThat(run.code()).as(run.err()).isZero();
      JsonNode printed = (format.equals("json") ? ApisFile.JSON : ApisFile.YAML).readTree(run.out());
      assertThat(printed.path("items")).containsExactly(Bodies.parse(Bodies.listed("a", "RUNNING", "RUNNING")),
          Bodies.parse(Bodies.listed("b", "STOPPED", null)));
      assertThat(printed.path("next").isNull()).isTrue();
    }
  }

  @Test
  void shouldShowTheMainFieldsWhenGetPrintsATable() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather", registration());

      Run run = api.seismo("get", "weather");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out().lines()).startsWith("weather", "  url          https://api.example.org/v1/weather",
          "  mode         POLL", "  interval     1m", "  desired      RUNNING", "  version      3 (updated 2026-11-24T11:00:00Z)",
          "  header       Authorization: <redacted>");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "yaml"})
  void shouldPrintTheRegistrationAsServedWhenGetIsAskedForJsonOrYaml(String format) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather", registration());

      Run run = api.seismo("get", "weather", "-o", format);

      assertThat(run.code()).as(run.err()).isZero();
      assertThat((format.equals("json") ? ApisFile.JSON : ApisFile.YAML).readTree(run.out())).isEqualTo(Bodies.parse(REGISTRATION));
    }
  }

  @Test
  void shouldPostTheRegistrationAndSayWhatWasRegisteredWhenRegisterSucceeds() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis", json(201, Bodies.registration("weather", 1, "STOPPED")));

      Run run = api.seismo("register", "https://api.example.org/v1/weather", "--id", "weather", "--mode", "sse",
          "--header", "Authorization=Bearer ${env:SEISMO_SECRET_W}", "--pointer", "/data", "--stopped");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("registered weather (version 1) → https://api.example.org/v1/weather\n");
      FakeControlApi.Request sent = api.only("POST", "/apis");
      assertThat(sent.header("Content-Type")).isEqualTo("application/json");
      assertThat(sent.json()).isEqualTo(Bodies.parse("""
          {"apiId":"weather","url":"https://api.example.org/v1/weather","mode":"SSE",\
          "headers":{"Authorization":"Bearer ${env:SEISMO_SECRET_W}"},"jsonPointer":"/data","desiredState":"STOPPED"}"""));
    }
  }

  @Test
  void shouldPutTheFileWithIfMatchOfTheETagJustReadWhenUpdateIsGivenAFile() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather", registration());
      api.on("PUT", "/apis/weather", json(200, Bodies.registration("weather", 4, "RUNNING")).withHeader("ETag", "\"4-1795514400000\""));
      Path file = Files.writeString(dir.resolve("weather.yaml"), """
          url: https://api.example.org/v2/weather
          pollIntervalMs: 300000
          headers: {Authorization: <redacted>}
          """);

      Run run = api.seismo("update", "weather", "-f", file.toString());

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("updated weather (version 4)\n");
      FakeControlApi.Request put = api.only("PUT", "/apis/weather");
      assertThat(put.header("If-Match")).isEqualTo(Bodies.ETAG_V3);
      assertThat(put.json()).isEqualTo(Bodies.parse("""
          {"url":"https://api.example.org/v2/weather","pollIntervalMs":300000,"headers":{"Authorization":"<redacted>"}}"""));
      assertThat(api.requests()).extracting(FakeControlApi.Request::method).containsExactly("GET", "PUT");
    }
  }

  @Test
  void shouldChangeOnlyTheGivenFieldsOfTheRegistrationReadWhenUpdateIsGivenFieldOptions() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather", registration());
      api.on("PUT", "/apis/weather", json(200, Bodies.registration("weather", 4, "RUNNING")));

      Run run = api.seismo("update", "weather", "--interval", "5m", "--header", "Accept=application/json",
          "--alert-on-change", "true");

      assertThat(run.code()).as(run.err()).isZero();
      FakeControlApi.Request put = api.only("PUT", "/apis/weather");
      assertThat(put.header("If-Match")).isEqualTo(Bodies.ETAG_V3);
      ObjectNode expected = (ObjectNode) Bodies.parse(REGISTRATION);
      expected.remove(List.of("version", "createdAt", "updatedAt"));
      expected.put("pollIntervalMs", 300_000).put("alertOnChange", true);
      ((ObjectNode) expected.get("headers")).put("Accept", "application/json");
      assertThat(put.json()).as("the redacted secret is sent back as <redacted>: the server keeps it").isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"update weather --interval 5m, PUT", "delete weather, DELETE"})
  void shouldExplainAndExitOneWhenTheRegistrationChangedBetweenTheReadAndTheWrite(String args, String method)
      throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather", registration());
      api.on(method, "/apis/weather", problem(412, "precondition-failed", "Precondition failed",
          "the registration changed: its ETag is now \"4-1795514400000\", not " + Bodies.ETAG_V3));

      Run run = api.seismo(args.split(" "));

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines()).containsExactly("seismo: HTTP 412: the registration changed: its ETag is now "
          + "\"4-1795514400000\", not " + Bodies.ETAG_V3 + " (Precondition failed)",
          "  weather was changed by someone else since it was read; run again");
      assertThat(api.only(method, "/apis/weather").header("If-Match")).isEqualTo(Bodies.ETAG_V3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"update weather", "update weather -f x.yaml --interval 5m"})
  void shouldExitTwoAndSendNothingWhenUpdateHasNotExactlyOneOfAFileAndFieldOptions(String args) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      Run run = api.seismo(args.split(" "));

      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err()).containsPattern("nothing to update|not both");
      assertThat(api.requests()).isEmpty();
    }
  }

  @Test
  void shouldDeleteWithIfMatchOfTheCurrentVersionWhenDeleteSucceeds() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather", registration());
      api.on("DELETE", "/apis/weather", new Response(204, Map.of(), ""));

      Run run = api.seismo("delete", "weather");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("deleted weather (was version 3)\n");
      FakeControlApi.Request delete = api.only("DELETE", "/apis/weather");
      assertThat(delete.header("If-Match")).isEqualTo(Bodies.ETAG_V3);
      assertThat(delete.header("Authorization")).isEqualTo("Bearer env-token");
    }
  }

  @Test
  void shouldPrintTheDeletedRegistrationWhenDeleteIsAskedForYaml() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/weather", registration());
      api.on("DELETE", "/apis/weather", new Response(204, Map.of(), ""));

      Run run = api.seismo("delete", "weather", "-o", "yaml");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(ApisFile.YAML.readTree(run.out())).isEqualTo(Bodies.parse(REGISTRATION));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"start, RUNNING", "stop, STOPPED"})
  void shouldPostTheActionAndSayTheDesiredStateWhenStartOrStopSucceeds(String action, String state) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis/weather/" + action, json(200, Bodies.registration("weather", 4, state)));

      Run table = api.seismo(action, "weather");
      Run json = api.seismo(action, "weather", "-o", "json");

      assertThat(table.code()).as(table.err()).isZero();
      assertThat(table.out()).isEqualTo("weather desired state " + state + " (version 4)\n");
      assertThat(Bodies.parse(json.out())).isEqualTo(Bodies.parse(Bodies.registration("weather", 4, state)));
      assertThat(api.requests()).allSatisfy(request -> {
        assertThat(request.body()).isEmpty();
        assertThat(request.header("If-Match")).isNull();
      });
    }
  }

  @Test
  void shouldSayHowManyTargetsTheTestAlertGoesToWhenNotifyIsQueued() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis/weather/notify", json(202, "{\"apiId\":\"weather\",\"kind\":\"TEST\",\"targets\":2}"));

      Run run = api.seismo("notify", "weather");
      Run yaml = api.seismo("notify", "weather", "-o", "yaml");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).startsWith("queued a TEST alert of weather for 2 target(s)");
      assertThat(yaml.out()).isEqualTo("apiId: weather\nkind: TEST\ntargets: 2\n");
      assertThat(api.requests()).extracting(FakeControlApi.Request::method).containsOnly("POST");
    }
  }

  @Test
  void shouldPrintTheProblemAndExitOneWhenNotifyFindsNoTarget() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis/weather/notify", problem(422, "unprocessable", "Unprocessable",
          "weather has no webhooks or channels to notify"));

      Run run = api.seismo("notify", "weather");

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err().strip()).isEqualTo("seismo: HTTP 422: weather has no webhooks or channels to notify (Unprocessable)");
    }
  }
}
