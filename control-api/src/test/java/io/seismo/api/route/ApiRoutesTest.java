package io.seismo.api.route;

import static io.seismo.api.route.RouteFixture.READ;
import static io.seismo.api.route.RouteFixture.WRITE;
import static io.seismo.api.route.RouteFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.seismo.schemas.Registration;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The control API's HTTP contract in process, in seconds: status codes, problem+json answers and their wording,
 * access per route and the rate limit, on the real route tree with in-memory registrations and stores
 * ({@link RouteFixture}). The full stack's answers are ApiContractIT's.
 */
class ApiRoutesTest {

  private static final String PROBLEM_JSON = "application/problem+json;charset=utf-8";
  private static final String PROBLEMS = "https://seismo.io/problems/";

  private RouteFixture api;
  private String etag;

  @BeforeEach
  void start() {
    api = new RouteFixture(1_000);
    etag = Preconditions.etag(api.register("weather"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    JsonNode problem = json(response);
    assertThat(problem.path("type").asText()).isEqualTo(PROBLEMS + type);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isEqualTo(detail);
    assertThat(problem.path("instance").asText()).isEqualTo(response.uri().getRawPath());
  }

  @Test
  void shouldServeExactlyTheRoutesTheOpenApiDocumentDescribes() throws Exception {
    JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(api.send("GET", "/openapi.yaml", null).body());
    List<String> documented = new ArrayList<>();
    spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
      if (!operation.getKey().equals("parameters")) {
        documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));

    List<String> served = new ArrayList<>(api.routes());
    served.addAll(List.of("GET /dashboard", "GET /docs")); // static files (OpenApiIT checks they are served)
    assertThat(served).containsExactlyInAnyOrderElementsOf(documented);
  }

  // ------------------------------------------------------------------------------------------- 400

  @Test
  void shouldAnswer400WithTheInvalidFieldWhenARegistrationHasNoUrl() {
    HttpResponse<String> answer = api.send("POST", "/apis", WRITE, "{\"apiId\":\"no-url\"}", Map.of());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    assertThat(json(answer).path("type").asText()).isEqualTo(PROBLEMS + "invalid-request");
    assertThat(json(answer).path("errors").findValuesAsText("field")).contains("url");
    assertThat(api.registrations.get("no-url")).isEmpty();
  }

  @Test
  void shouldAnswer400WhenARegistrationIsNotJson() {
    HttpResponse<String> answer = api.send("POST", "/apis", WRITE, "{\"apiId\":", Map.of());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(json(answer).path("type").asText()).isEqualTo(PROBLEMS + "invalid-request");
  }

  @Test
  void shouldAnswer415WhenAWriteIsNotJson() {
    HttpResponse<String> answer = api.send("POST", "/apis", WRITE, "{}", Map.of("Content-Type", "text/plain"));

    assertProblem(answer, 415, "unsupported-media-type",
        "send the registration as Content-Type: application/json, not 'text/plain'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /apis?limit=0                 | limit | query parameter 'limit' must be an integer from 1 to 500 | must be an integer from 1 to 500, was '0'
      /apis?limit=abc               | limit | query parameter 'limit' must be an integer from 1 to 500 | must be an integer from 1 to 500, was 'abc'
      /apis?limit=                  | limit | query parameter 'limit' must be an integer from 1 to 500 | must be an integer from 1 to 500, was ''
      /apis?limit=501               | limit | query parameter 'limit' must be an integer from 1 to 500 | must be an integer from 1 to 500, was '501'
      /apis/weather/changes?limit=21 | limit | query parameter 'limit' must be an integer from 1 to 20 | must be an integer from 1 to 20, was '21'
      /apis?state=PAUSED            | state | query parameter 'state' must be one of [RUNNING, STOPPED] | unknown value 'PAUSED'
      /apis?state=                  | state | query parameter 'state' must be one of [RUNNING, STOPPED] | unknown value ''
      /apis?include=everything      | include | unknown include 'everything' | must be 'status'
      /alerts?limit=0               | limit | invalid limit | must be an integer from 1 to 200
      /alerts?before=yesterday      | before | invalid cursor | must be the 'next' value of a previous page
      /apis/weather/alerts?before=1_x | before | invalid cursor | must be the 'next' value of a previous page
      /apis/weather/metrics?from=yesterday | from | query parameter 'from' must be an ISO-8601 instant like 2026-11-24T12:00:00Z | not an ISO-8601 instant: 'yesterday'
      /apis/weather/logs?cursor=yesterday | cursor | query parameter 'cursor' is not a cursor from a previous page's 'next' | not a cursor from a previous page's 'next'
      /apis/weather/logs?source=ftp | source | query parameter 'source' must be one of [POLL, SSE] | unknown value 'ftp'
      /apis/weather/logs?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z | from | 'from' is after 'to' | must not be after 'to'
      /apis/weather/metrics?from=   | from | query parameter 'from' must be an ISO-8601 instant like 2026-11-24T12:00:00Z | not an ISO-8601 instant: ''
      /apis/weather/metrics?window= | window | unknown window ''; expected 1m, 1h or 1d | unknown window ''; expected 1m, 1h or 1d
      /apis/weather/fields?window=1y | window | unknown window '1y'; expected 1m, 1h or 1d | unknown window '1y'; expected 1m, 1h or 1d
      /apis/weather/metrics?to=1969-12-31T23:59:59Z | to | query parameter 'to' must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z | out of range: '1969-12-31T23:59:59Z'
      /apis/weather/metrics?from=2026-12-01T10:00:00Z&to=2026-11-01T10:00:00Z | from | 'from' is after 'to' | must not be after 'to'
      /apis/weather/fields?window=1m&from=2026-01-01T00:00:00Z | from | at most 1500 windows per request | range too long for window 1m
      """)
  void shouldAnswer400NamingTheParameterWhenAQueryParameterIsInvalid(String path, String field, String detail,
                                                                      String message) {
    HttpResponse<String> answer = api.send("GET", path, READ);

    assertProblem(answer, 400, "invalid-request", detail);
    assertThat(json(answer).path("errors").toString())
        .isEqualTo("[{\"field\":\"" + field + "\",\"message\":\"" + message + "\"}]");
  }

  @Test
  void shouldAnswer200WhenQueryParametersAreValid() {
    api.register("wind");

    HttpResponse<String> page = api.send("GET", "/apis?limit=1&state=running", READ);

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(json(page).path("items").findValuesAsText("apiId")).containsExactly("weather");
    assertThat(json(page).path("next").asText()).isEqualTo("weather");
    assertThat(json(api.send("GET", "/apis?after=weather", READ)).path("items").findValuesAsText("apiId"))
        .containsExactly("wind");
    assertThat(api.send("GET", "/apis/weather/metrics?window=1h&from=2026-11-30T10:00:00Z", READ).statusCode())
        .isEqualTo(200);
  }

  // ------------------------------------------------------------------------------------------- 401, 403

  @Test
  void shouldAnswer401WithABearerChallengeWhenAReadHasNoToken() {
    HttpResponse<String> answer = api.send("GET", "/apis/weather", null);

    assertProblem(answer, 401, "unauthorized", "missing 'Authorization: Bearer <token>' header");
    assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"seismo\"");
  }

  @Test
  void shouldAnswer401WithAnInvalidTokenChallengeWhenTheTokenIsNotOneOfOurs() {
    HttpResponse<String> read = api.send("GET", "/apis/weather", "forged");
    HttpResponse<String> write = api.send("DELETE", "/apis/weather", "forged", null, Map.of("If-Match", etag));

    assertProblem(read, 401, "unauthorized", "a valid bearer token is required");
    assertThat(read.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"seismo\", error=\"invalid_token\"");
    assertProblem(write, 401, "unauthorized", "a valid bearer token with write access is required");
    assertThat(api.registrations.get("weather")).isPresent();
  }

  @Test
  void shouldAnswer403WithInsufficientScopeWhenAReadTokenWrites() {
    HttpResponse<String> answer = api.send("DELETE", "/apis/weather", READ, null, Map.of("If-Match", etag));

    assertProblem(answer, 403, "forbidden", "this token may read but not write");
    assertThat(answer.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"seismo\", error=\"insufficient_scope\"");
    assertThat(api.registrations.get("weather")).isPresent();
  }

  @Test
  void shouldLetAWriteTokenRead() {
    assertThat(api.send("GET", "/apis/weather", WRITE).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRefuseEveryRouteButThePublicOnesWithoutAToken() {
    Set<String> open = Set.of("GET /", "GET /health/live", "GET /health/ready", "GET /openapi.yaml");
    List<String> expected = new ArrayList<>();
    List<String> answered = new ArrayList<>();
    for (String route : api.routes()) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "weather");
      int status = api.send(method, path, null).statusCode();
      expected.add(route + (open.contains(route) ? " answered" : " 401"));
      answered.add(route + (status == 401 ? " 401" : " answered"));
    }

    assertThat(answered).hasSizeGreaterThan(30).isEqualTo(expected);
  }

  @Test
  void shouldRefuseEveryWriteRouteToAReadToken() {
    List<String> answered = new ArrayList<>();
    for (String route : api.routes()) {
      if (!route.startsWith("GET ")) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "weather");
        answered.add(route + " " + api.send(method, path, READ, "{}", Map.of("If-Match", etag)).statusCode());
      }
    }

    assertThat(answered).hasSizeGreaterThan(10).allSatisfy(route -> assertThat(route).endsWith(" 403"));
    assertThat(api.registrations.get("weather")).isPresent();
  }

  // ------------------------------------------------------------------------------------------- 404, 405

  @Test
  void shouldAnswer404OnEveryOperationOfAnApiThatIsNotRegistered() {
    for (String[] operation : List.of(new String[] {"GET", ""}, new String[] {"PUT", ""}, new String[] {"DELETE", ""},
        new String[] {"POST", "/start"}, new String[] {"POST", "/stop"}, new String[] {"GET", "/status"},
        new String[] {"GET", "/document"}, new String[] {"GET", "/metrics"}, new String[] {"GET", "/changes"},
        new String[] {"GET", "/logs"}, new String[] {"GET", "/incidents"}, new String[] {"GET", "/fields"},
        new String[] {"POST", "/ignore"}, new String[] {"GET", "/alerts"})) {
      String body = operation[0].equals("PUT") || operation[1].equals("/ignore") ? "{\"patterns\":[\"/a\"]}" : null;
      HttpResponse<String> answer = api.send(operation[0], "/apis/unknown" + operation[1], WRITE, body,
          Map.of("If-Match", "*"));

      assertProblem(answer, 404, "not-found", "no API with apiId 'unknown'");
    }
  }

  @Test
  void shouldAnswer404ProblemWhenNoRouteMatches() {
    assertProblem(api.send("GET", "/nothing-here", READ), 404, "not-found", "no route GET /nothing-here");
  }

  @Test
  void shouldAnswer405WithTheAllowedMethodsWhenTheRouteHasNoSuchMethod() {
    HttpResponse<String> answer = api.send("PATCH", "/apis/weather", WRITE, "{}", Map.of());

    assertThat(answer.statusCode()).isEqualTo(405);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(PROBLEM_JSON);
    assertThat(json(answer).path("detail").asText()).startsWith("PATCH is not allowed on /apis/weather; allowed: ");
  }

  // ------------------------------------------------------------------------------------------- 412, 428

  @Test
  void shouldAnswer428WhenAReplaceOrDeleteHasNoIfMatch() {
    HttpResponse<String> replaced = api.send("PUT", "/apis/weather", WRITE, replacement(), Map.of());
    HttpResponse<String> deleted = api.send("DELETE", "/apis/weather", WRITE);

    String detail = "send If-Match: " + etag + " (the ETag of the registration you are changing)";
    assertProblem(replaced, 428, "precondition-required", detail);
    assertProblem(deleted, 428, "precondition-required", detail);
    assertThat(api.registrations.get("weather").orElseThrow().getVersion()).isEqualTo(1);
  }

  @Test
  void shouldAnswer412WhenIfMatchNamesAnotherVersion() {
    for (String[] write : List.of(new String[] {"PUT", ""}, new String[] {"DELETE", ""}, new String[] {"POST", "/stop"},
        new String[] {"POST", "/ignore"})) {
      String body = write[0].equals("PUT") ? replacement() : write[1].equals("/ignore") ? "{\"patterns\":[\"/a\"]}" : null;
      HttpResponse<String> answer = api.send(write[0], "/apis/weather" + write[1], WRITE, body,
          Map.of("If-Match", "\"1-0\", W/" + etag));

      assertProblem(answer, 412, "precondition-failed",
          "the registration changed: its ETag is now " + etag + ", not \"1-0\", W/" + etag);
    }
    assertThat(api.registrations.get("weather").orElseThrow().getVersion()).isEqualTo(1);
  }

  @Test
  void shouldReplaceTheRegistrationWhenIfMatchNamesTheCurrentVersion() {
    HttpResponse<String> answer = api.send("PUT", "/apis/weather", WRITE, replacement(), Map.of("If-Match", etag));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    Registration replaced = api.registrations.get("weather").orElseThrow();
    assertThat(replaced.getVersion()).isEqualTo(2);
    assertThat(answer.headers().firstValue("ETag")).hasValue(Preconditions.etag(replaced));
    assertThat(api.send("DELETE", "/apis/weather", WRITE, null, Map.of("If-Match", "*")).statusCode()).isEqualTo(204);
    assertThat(api.registrations.get("weather")).isEmpty();
  }

  @Test
  void shouldChangeTheDesiredStateWithoutIfMatchAndWriteNothingWhenItIsAlreadySo() {
    HttpResponse<String> stopped = api.send("POST", "/apis/weather/stop", WRITE);
    HttpResponse<String> again = api.send("POST", "/apis/weather/stop", WRITE);

    assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
    assertThat(json(stopped).path("desiredState").asText()).isEqualTo("STOPPED");
    assertThat(again.headers().firstValue("ETag")).isEqualTo(stopped.headers().firstValue("ETag"));
    assertThat(api.registrations.get("weather").orElseThrow().getVersion()).isEqualTo(2);
  }

  @Test
  void shouldCreateARegistrationWith201LocationAndETag() {
    HttpResponse<String> created = api.send("POST", "/apis", WRITE,
        "{\"apiId\":\"tide\",\"url\":\"http://localhost:8080/tide\"}", Map.of());
    HttpResponse<String> taken = api.send("POST", "/apis", WRITE,
        "{\"apiId\":\"tide\",\"url\":\"http://localhost:8080/tide\"}", Map.of());

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/apis/tide");
    assertThat(created.headers().firstValue("ETag")).hasValue(Preconditions.etag(api.registrations.get("tide").orElseThrow()));
    assertProblem(taken, 409, "conflict",
        "an API with apiId 'tide' is already registered; use PUT /apis/tide to change it");
  }

  @Test
  void shouldAnswer413ToEveryOversizedBatchWhoseBodyFitsTheDrainBound() {
    // nothing past the size check is reached: no writer or table behind the handler
    api.handlers.wire(new BatchHandler(api.validator, null, null, Clock.systemUTC()));
    String huge = "{\"items\":[" + ("{\"apiId\":\"x\",\"url\":\"https://example.org/" + "p".repeat(1_000) + "\"},")
        .repeat(4_500) + "{}]}";
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) { // the unread rest used to reset the connection, losing the 413 now and then
      statuses.add(api.send("POST", "/apis:batch", WRITE, huge, Map.of()).statusCode());
    }

    assertThat(statuses).containsOnly(413);
    assertProblem(api.send("POST", "/apis:batch", WRITE, huge, Map.of()), 413, "too-large",
        "a batch body is limited to 4194304 bytes; send at most 1000 registrations per request");
  }

  private static String replacement() {
    return "{\"apiId\":\"weather\",\"url\":\"http://localhost:8080/weather-v2\"}";
  }

  // ------------------------------------------------------------------------------------------- 429

  @Test
  void shouldAnswer429WithRetryAfterWhenACallerHasSpentItsBurst() {
    try (RouteFixture limited = new RouteFixture(2)) {
      limited.register("weather");
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        statuses.add(limited.send("GET", "/apis/weather", READ).statusCode());
      }
      HttpResponse<String> over = limited.send("GET", "/apis/weather", READ);

      assertThat(statuses).containsExactly(200, 200);
      assertProblem(over, 429, "rate-limited", "rate limit exceeded; retry after 1 s");
      assertThat(over.headers().firstValue("Retry-After")).hasValue("1");
      // keyed on the authenticated principal: the write token has a bucket of its own, however its header is spelled
      assertThat(limited.send("GET", "/apis/weather", null, null, Map.of("Authorization", "bearer  " + WRITE))
          .statusCode()).isEqualTo(200);
      assertThat(limited.send("GET", "/apis/weather", WRITE).statusCode()).isEqualTo(200);
      assertThat(limited.send("GET", "/apis/weather", WRITE).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void shouldLimitRequestsWithoutAValidTokenByAddressBeforeCheckingAccess() {
    try (RouteFixture limited = new RouteFixture(2)) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(limited.send("GET", "/apis", "forged-" + i).statusCode());
      }

      assertThat(statuses).containsExactly(401, 401, 429, 429);
      assertThat(limited.send("GET", "/health/live", null).statusCode()).isEqualTo(200);
    }
  }

  // ------------------------------------------------------------------------------------------- encoding, metrics

  @Test
  void shouldWriteProblemsAsUtf8() {
    HttpResponse<String> answer = api.send("GET", "/apis/m%C3%A9t%C3%A9o", READ);

    assertProblem(answer, 404, "not-found", "no API with apiId 'météo'");
  }

  @Test
  void shouldTagARefusedRequestWithTheRouteItMatched() {
    api.send("GET", "/apis/weather/status", null);

    String scraped = api.send("GET", "/metrics", READ).body();

    assertThat(scraped).contains("http_server_requests_seconds_count{method=\"GET\",status=\"401\",uri=\"/apis/{id}/status\"}");
  }

  @Test
  void shouldAnswer503WithRetryAfterOnceTheServiceIsStopping() {
    api.handlers.close();

    HttpResponse<String> answer = api.send("GET", "/apis/weather", READ);

    assertProblem(answer, 503, "unavailable", "the service is stopping; retry shortly");
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
  }

  @Test
  void shouldAnswer503WhileTheRegistrationsAreLoading() {
    api.registrations.loading();

    assertProblem(api.send("GET", "/apis/weather", READ), 503, "unavailable",
        "registrations are still loading; retry shortly");
  }
}
