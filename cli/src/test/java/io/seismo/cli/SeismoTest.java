package io.seismo.cli;

import static io.seismo.cli.FakeControlApi.json;
import static io.seismo.cli.FakeControlApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.cli.FakeControlApi.Bodies;
import io.seismo.cli.FakeControlApi.Run;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What every subcommand shares: exit codes, the server's problems, the token, help and completion. */
class SeismoTest {

  @Test
  void shouldFailWithOneClearLineAndExitThreeWhenApiIsUnreachable() {
    Run run = FakeControlApi.seismoWith(Map.of(), "--api", "http://127.0.0.1:1", "status", "x");

    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err().strip()).startsWith("seismo: cannot reach the control API at http://127.0.0.1:1")
        .doesNotContain("\n");
  }

  @Test
  void shouldExitTwoOnBadUsage() {
    Run run = FakeControlApi.seismoWith(Map.of(), "register");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter");
  }

  @Test
  void shouldExitTwoWithoutASubcommand() {
    Run run = FakeControlApi.seismoWith(Map.of());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required subcommand");
  }

  @Test
  void shouldPrintTitleDetailAndEachFieldErrorAndExitOneWhenTheServerRefusesWithAProblem() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis", problem(400, "invalid-request", "Invalid request",
          "url must be an absolute http or https URL", "url", "must be an absolute http or https URL",
          "pollIntervalMs", "must be between 1000 and 86400000 milliseconds, was 10"));

      Run run = api.seismo("register", "ftp://example.org/", "--id", "x", "--interval", "10ms");

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines()).containsExactly(
          "seismo: HTTP 400: url must be an absolute http or https URL (Invalid request)",
          "  url: must be an absolute http or https URL",
          "  pollIntervalMs: must be between 1000 and 86400000 milliseconds, was 10");
    }
  }

  @Test
  void shouldKeepTheDetailRightAfterTheStatusWhenTheServerAnswersConflict() throws Exception {
    // CliIT matches on "seismo: HTTP 409: <detail>": the title goes after the detail
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis", problem(409, "conflict", "Conflict", "an API with apiId 'x' is already registered"));

      Run run = api.seismo("register", "https://example.org/", "--id", "x");

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err().strip()).isEqualTo("seismo: HTTP 409: an API with apiId 'x' is already registered (Conflict)");
    }
  }

  @ParameterizedTest(name = "HTTP {0} → exit {1}")
  @CsvSource({"400, 1", "404, 1", "422, 1", "500, 3", "503, 3"})
  void shouldExitOneOnAClientErrorAndThreeOnAServerErrorWhenTheServerAnswersAProblem(int status, int exitCode)
      throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/x/status", problem(status, "p", "Title", "detail of " + status).withHeader("Retry-After", "1"));

      Run run = api.seismo("status", "x");

      assertThat(run.code()).isEqualTo(exitCode);
      assertThat(run.err()).startsWith("seismo: HTTP " + status + ": detail of " + status + " (Title)");
      assertThat(api.requests()).as("a 503 is not retried: exit 3 says try again").hasSize(1);
    }
  }

  @Test
  void shouldExitThreeWhenTheServerStillAnswersTooManyRequestsAfterTheRetries() {
    // through HTTP this takes ten Retry-After waits; the mapping is what matters
    CliException failure = CliException.answered(429, Bodies.parse("{\"detail\":\"slow down\"}"), "HTTP 429: slow down");

    assertThat(failure.exitCode()).isEqualTo(3);
  }

  @Test
  void shouldSayATokenIsNeededWhenTheServerAnswersUnauthorized() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis/x/stop", problem(401, "unauthorized", "Unauthorized", "a bearer token is required"));

      Run run = FakeControlApi.seismoWith(Map.of("SEISMO_API_URL", api.url()), "stop", "x");

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err().lines()).containsExactly("seismo: HTTP 401: a bearer token is required (Unauthorized)",
          "  a token is needed: --token or SEISMO_TOKEN");
    }
  }

  /** SEISMO_TOKEN, or --token before or after the subcommand (it is inherited), becomes the bearer token. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "env-token | env-token | stop x",
      "env-token | flag-token | --token flag-token stop x",
      "env-token | flag-token | stop x --token flag-token",
      "          | flag-token | stop --token flag-token x"})
  void shouldSendTheTokenAsBearerWhenGivenByEnvironmentOrOption(String envToken, String sent, String args)
      throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis/x/stop", json(200, Bodies.registration("x", 2, "STOPPED")));
      Map<String, String> env = new HashMap<>(Map.of("SEISMO_API_URL", api.url()));
      if (envToken != null) {
        env.put("SEISMO_TOKEN", envToken);
      }

      Run run = FakeControlApi.seismoWith(env, args.split(" "));

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(api.only("POST", "/apis/x/stop").header("Authorization")).isEqualTo("Bearer " + sent);
    }
  }

  @Test
  void shouldSendNoAuthorizationWhenThereIsNoToken() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/x/status", json(200, Bodies.status("x", "RUNNING")));

      Run run = FakeControlApi.seismoWith(Map.of("SEISMO_API_URL", api.url()), "status", "x");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(api.only("GET", "/apis/x/status").header("Authorization")).isNull();
    }
  }

  @Test
  void shouldTakeTheApiUrlFromTheOptionAfterTheSubcommand() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis/x/status", json(200, Bodies.status("x", "RUNNING")));

      Run run = FakeControlApi.seismoWith(Map.of("SEISMO_API_URL", "http://127.0.0.1:1"), "status", "x", "--api", api.url());

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(api.requests()).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "update --help", "help tail"})
  void shouldDocumentTheExitCodesInTheUsageHelpOfEveryCommand(String args) {
    Run run = FakeControlApi.seismoWith(Map.of(), args.split(" "));

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("Exit codes:")
        .containsPattern("\\s0\\s+done")
        .containsPattern("\\s1\\s+the server refused the request \\(HTTP 4xx")
        .containsPattern("\\s2\\s+usage error")
        .containsPattern("\\s3\\s+the control API could not be reached");
  }

  @Test
  void shouldListEverySubcommandTheIssueAsksForInTheUsageHelp() {
    Run run = FakeControlApi.seismoWith(Map.of(), "--help");

    for (String command : new String[] {"get", "list", "register", "update", "delete", "start", "stop", "status",
        "metrics", "changes", "logs", "alerts", "notify", "tail", "apply", "export", "replay", "generate-completion"}) {
      assertThat(run.out()).containsPattern("(?m)^\\s+" + command + "\\s");
    }
  }

  @Test
  void shouldShowEnvironmentReferencesLiterallyWhenHelpMentionsThem() {
    // picocli would expand an unescaped ${env:NAME} in a description (to nothing, or to a variable's value)
    Run run = FakeControlApi.seismoWith(Map.of(), "register", "--help");

    assertThat(run.out()).contains("${env:NAME}");
  }

  @Test
  void shouldGenerateABashCompletionScriptThatCompletesTheSubcommandsAndTheirOptions() {
    Run run = FakeControlApi.seismoWith(Map.of(), "generate-completion");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("complete -F _complete_seismo")
        .contains("update").contains("metrics").contains("notify").contains("alerts")
        .contains("--window").contains("--output").contains("--count");
  }

  @Test
  void shouldDeriveIdFromTheUrlWhenNoneIsGiven() {
    assertThat(RegistrationCommands.Register.deriveId("https://api.example.org/v1/Weather?x=1"))
        .isEqualTo("api.example.org-v1-weather");
  }

  /** The interval reaches the control API as the documented durations say. */
  @ParameterizedTest(name = "--interval {0} → {1} ms")
  @CsvSource({"250ms, 250", "5s, 5000", "30S, 30000", "2m, 120000", "1h, 3600000", "1d, 86400000", "PT90S, 90000",
      "pt1m30s, 90000", "P1D, 86400000"})
  void shouldSendTheIntervalInMillisecondsWhenGivenWithAnyDocumentedUnit(String interval, long millis) throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("POST", "/apis", json(201, Bodies.registration("x", 1, "RUNNING")));

      Run run = api.seismo("register", "https://example.org/", "--id", "x", "--interval", interval);

      assertThat(run.err()).isEmpty();
      assertThat(run.code()).isZero();
      assertThat(api.only("POST", "/apis").json().path("pollIntervalMs").asLong()).isEqualTo(millis);
    }
  }

  @ParameterizedTest
  @CsvSource({"register, https://example.org/, --interval", "replay, --from=2026-11-24T00:00:00Z, --timeout"})
  void shouldExitTwoNamingTheOptionWhenADurationHasNoUnit(String command, String argument, String option) {
    Run run = FakeControlApi.seismoWith(Map.of(), "--api", "http://127.0.0.1:1", command, argument, option, "30");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElseThrow()).isEqualTo("Invalid value for option '" + option
        + "': '30' is not a duration with a unit like 500ms, 5s, 2m, 1h, 1d or ISO-8601 like PT5S");
  }
}
