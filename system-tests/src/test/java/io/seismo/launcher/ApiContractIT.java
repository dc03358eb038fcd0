package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.topology.store.StoreNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract as others see it, on a control API instance with read tokens and a tight rate limit
 * (it joins the shared stack's group, like TwoInstancesIT): every operation's real answers, success
 * and error, are valid against the served /openapi.yaml under a standard JSON Schema 2020-12 validator;
 * the rate limiter keys on the authenticated principal, or the client address for everyone else.
 */
class ApiContractIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRITE = "contract-write";
  private static final String READ = "contract-read";
  private static final String POLL = "contract-poll";
  private static final String LIMITED = "contract-limited";
  private static final String SPACES = "contract-spaces";
  private static final String READY = "contract-ready";
  private static final int BURST = 100;

  private static ControlApi api;
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    SeismoStack stack = TestStack.stack(); // first: it creates the topics this instance reads
    api = ControlApi.start(ApiConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers(),
        "SEISMO_API_PORT", "0",
        "SEISMO_API_WRITE_TOKENS", WRITE,
        "SEISMO_API_READ_TOKENS", String.join(",", READ, POLL, LIMITED, SPACES, READY),
        "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
        "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-it-contract").toString(),
        "SEISMO_TOPOLOGY_THREADS", "1",
        // one request per 1000 s after the burst: the counts below are exact, whatever the machine's speed
        "SEISMO_API_RATE_LIMIT", "0.001",
        "SEISMO_API_RATE_BURST", Integer.toString(BURST)))));
    base = "http://127.0.0.1:" + api.port();
    RestClient stackRest = new RestClient(stack.apiUrl());
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
        send(http, "GET", "/health/ready", null, null, Map.of()).statusCode() == 200
            && stackRest.get("/health/ready").status() == 200);
    // registrations loaded too (a budget of BURST polls of its own)
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
        send(http, "GET", "/apis?limit=1", READY, null, Map.of()).statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void shouldConformToTheOpenApiDocumentWhenEveryOperationAnswers() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> served = send(http, "GET", "/openapi.yaml", null, null, Map.of());
    OpenApiContract contract = new OpenApiContract(new String(served.body(), StandardCharsets.UTF_8));
    List<String> violations = new ArrayList<>();
    Checker check = (method, template, answer) -> violations.addAll(contract.violations(method, template, answer));
    check.accept("GET", "/openapi.yaml", served);

    DemoUpstream upstream = TestStack.upstream();
    String apiId = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    String id = "/apis/" + apiId;
    upstream.put("/" + apiId, "{\"v\":1,\"items\":[1]}");
    String registration = "{\"apiId\":\"" + apiId + "\",\"url\":\"" + upstream.url("/" + apiId)
        + "\",\"pollIntervalMs\":1000,\"headers\":{\"X-Api-Key\":\"secret-1\",\"Accept\":\"application/json\"},"
        + "\"notifyWebhooks\":[\"" + upstream.url("/hook-" + apiId) + "\"],\"ignore\":[\"/meta/requestId\",\"/**/etag\"],"
        + "\"unorderedArrays\":[\"/tags\"],\"arrayKeys\":{\"/records\":\"id\"}}";

    // writes: 201, 400, 401, 403, 409, 200, 412, 428, 202, 422, 204
    HttpResponse<byte[]> created = send(http, "POST", "/apis", WRITE, registration, Map.of());
    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    check.accept("POST", "/apis", created);
    check.accept("POST", "/apis", send(http, "POST", "/apis", WRITE, registration, Map.of()));
    check.accept("POST", "/apis", send(http, "POST", "/apis", WRITE, "{\"apiId\":\"x\"}", Map.of()));
    check.accept("POST", "/apis", send(http, "POST", "/apis", WRITE, "{\"apiId\":", Map.of()));
    check.accept("POST", "/apis", send(http, "POST", "/apis", null, registration, Map.of()));
    check.accept("POST", "/apis", send(http, "POST", "/apis", READ, registration, Map.of()));
    check.accept("POST", "/apis", send(http, "POST", "/apis", WRITE,
        "{\"apiId\":\"big\",\"url\":\"https://example.org/\",\"headers\":{\"X\":\"" + "x".repeat(70_000) + "\"}}", Map.of()));

    // bulk registration: 200, 400, 401, 403, 413, 415
    String bulkItem = "{\"apiId\":\"" + apiId + "-bulk\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}";
    HttpResponse<byte[]> bulk = send(http, "POST", "/apis:batch", WRITE, "{\"items\":[" + bulkItem + "]}", Map.of());
    assertThat(bulk.statusCode()).as(text(bulk)).isEqualTo(200);
    check.accept("POST", "/apis:batch", bulk);
    check.accept("POST", "/apis:batch", send(http, "POST", "/apis:batch", WRITE, "{\"items\":[" + bulkItem + "]}", Map.of()));
    check.accept("POST", "/apis:batch", send(http, "POST", "/apis:batch", WRITE, "{\"items\":[{\"apiId\":\"x\"}]}", Map.of()));
    check.accept("POST", "/apis:batch", send(http, "POST", "/apis:batch", null, "{\"items\":[" + bulkItem + "]}", Map.of()));
    check.accept("POST", "/apis:batch", send(http, "POST", "/apis:batch", READ, "{\"items\":[" + bulkItem + "]}", Map.of()));
    HttpResponse<byte[]> bulkTooLarge = send(http, "POST", "/apis:batch", WRITE, "{\"items\":[\"" + "x".repeat(4_200_000) + "\"]}",
        Map.of());
    assertThat(bulkTooLarge.statusCode()).as(text(bulkTooLarge)).isEqualTo(413);
    check.accept("POST", "/apis:batch", bulkTooLarge);
    check.accept("POST", "/apis:batch", sendRaw(http, "POST", "/apis:batch", Map.of("Authorization", "Bearer " + WRITE,
        "Content-Type", "text/plain"), "{\"items\":[" + bulkItem + "]}"));

    String etag = created.headers().firstValue("ETag").orElseThrow();
    String replacement = registration.replace("\"pollIntervalMs\":1000", "\"pollIntervalMs\":1000,\"desiredState\":\"RUNNING\"");
    HttpResponse<byte[]> replaced = send(http, "PUT", id, WRITE, replacement, Map.of("If-Match", etag));
    assertThat(replaced.statusCode()).as(text(replaced)).isEqualTo(200);
    check.accept("PUT", "/apis/{id}", replaced);
    check.accept("PUT", "/apis/{id}", send(http, "PUT", id, WRITE, replacement, Map.of("If-Match", etag)));
    check.accept("PUT", "/apis/{id}", send(http, "PUT", id, WRITE, replacement, Map.of()));
    check.accept("PUT", "/apis/{id}", send(http, "PUT", id, WRITE, "{\"url\":1}", Map.of("If-Match", "*")));
    check.accept("PUT", "/apis/{id}", send(http, "PUT", id, READ, replacement, Map.of("If-Match", "*")));
    // a write that is not JSON: 415
    Map<String, String> plainText = Map.of("Authorization", "Bearer " + WRITE, "Content-Type", "text/plain", "If-Match", "*");
    HttpResponse<byte[]> notJson = sendRaw(http, "PUT", id, plainText, replacement);
    assertThat(notJson.statusCode()).as(text(notJson)).isEqualTo(415);
    check.accept("PUT", "/apis/{id}", notJson);
    HttpResponse<byte[]> notJsonCreate = sendRaw(http, "POST", "/apis", plainText, registration);
    assertThat(notJsonCreate.statusCode()).as(text(notJsonCreate)).isEqualTo(415);
    check.accept("POST", "/apis", notJsonCreate);
    check.accept("PUT", "/apis/{id}", send(http, "PUT", id, null, replacement, Map.of("If-Match", "*")));
    for (String action : List.of("stop", "start")) {
      HttpResponse<byte[]> changed = send(http, "POST", id + "/" + action, WRITE, null, Map.of());
      assertThat(changed.statusCode()).as(text(changed)).isEqualTo(200);
      check.accept("POST", "/apis/{id}/" + action, changed);
      check.accept("POST", "/apis/{id}/" + action, send(http, "POST", id + "/" + action, WRITE, null, Map.of("If-Match", "\"0\"")));
      check.accept("POST", "/apis/{id}/" + action, send(http, "POST", id + "/" + action, READ, null, Map.of()));
      check.accept("POST", "/apis/{id}/" + action, send(http, "POST", id + "/" + action, null, null, Map.of()));
    }
    HttpResponse<byte[]> ignored = send(http, "POST", id + "/ignore", WRITE, "{\"patterns\":[\"/items/*/ts\"]}", Map.of());
    assertThat(ignored.statusCode()).as(text(ignored)).isEqualTo(200);
    assertThat(JSON.readTree(ignored.body()).path("ignore").toString()).isEqualTo("[\"/meta/requestId\",\"/**/etag\",\"/items/*/ts\"]");
    check.accept("POST", "/apis/{id}/ignore", ignored);
    check.accept("POST", "/apis/{id}/ignore", send(http, "POST", id + "/ignore", WRITE, "{\"patterns\":[\"ts\"]}", Map.of()));
    check.accept("POST", "/apis/{id}/ignore", send(http, "POST", id + "/ignore", WRITE, "{\"patterns\":[\"/ts\"]}",
        Map.of("If-Match", "\"0\"")));
    check.accept("POST", "/apis/{id}/ignore", send(http, "POST", id + "/ignore", READ, "{\"patterns\":[\"/ts\"]}", Map.of()));
    check.accept("POST", "/apis/{id}/ignore", send(http, "POST", id + "/ignore", null, "{\"patterns\":[\"/ts\"]}", Map.of()));
    check.accept("POST", "/apis/{id}/notify", send(http, "POST", id + "/notify", WRITE, null, Map.of()));
    check.accept("POST", "/apis/{id}/notify", send(http, "POST", id + "/notify", READ, null, Map.of()));
    check.accept("POST", "/apis/{id}/notify", send(http, "POST", id + "/notify", null, null, Map.of()));
    String quiet = apiId + "-quiet";
    HttpResponse<byte[]> quietCreated = send(http, "POST", "/apis", WRITE, "{\"apiId\":\"" + quiet
        + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}", Map.of());
    assertThat(quietCreated.statusCode()).as(text(quietCreated)).isEqualTo(201);
    check.accept("POST", "/apis/{id}/notify", send(http, "POST", "/apis/" + quiet + "/notify", WRITE, null, Map.of()));

    // reads, once the API has been sampled: 200s, 400s, 401s
    // POLL has a budget of BURST requests for all the waits below: poll every 2 s
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() ->
        send(http, "GET", id + "/document", POLL, null, Map.of()).statusCode() == 200);
    upstream.put("/" + apiId, "{\"v\":2,\"items\":[1,2]}");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() ->
        JSON.readTree(send(http, "GET", id + "/changes", POLL, null, Map.of()).body()).path("items").size() == 1);
    Map<String, String> reads = new LinkedHashMap<>();
    reads.put("/apis", "/apis");
    reads.put("/apis?include=status&limit=500", "/apis");
    reads.put("/apis?state=RUNNING&limit=1", "/apis");
    reads.put("/apis?limit=0", "/apis");
    reads.put("/apis?include=everything", "/apis");
    reads.put(id, "/apis/{id}");
    reads.put(id + "/status", "/apis/{id}/status");
    reads.put(id + "/document", "/apis/{id}/document");
    reads.put(id + "/changes", "/apis/{id}/changes");
    reads.put(id + "/changes?limit=99", "/apis/{id}/changes");
    reads.put(id + "/logs", "/apis/{id}/logs");
    reads.put(id + "/logs?limit=abc", "/apis/{id}/logs");
    reads.put(id + "/logs?limit=1&source=poll&from=2026-01-01T00:00:00Z", "/apis/{id}/logs");
    reads.put(id + "/logs?cursor=nope", "/apis/{id}/logs");
    reads.put(id + "/logs?source=carrier-pigeon", "/apis/{id}/logs");
    reads.put(id + "/logs?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "/apis/{id}/logs");
    reads.put(id + "/deliveries", "/apis/{id}/deliveries");
    reads.put(id + "/stream/clients", "/apis/{id}/stream/clients");
    reads.put(id + "/alerts", "/apis/{id}/alerts");
    reads.put(id + "/alerts?limit=0", "/apis/{id}/alerts");
    reads.put(id + "/incidents", "/apis/{id}/incidents");
    reads.put("/alerts?limit=5", "/alerts");
    reads.put("/alerts?kind=NOPE", "/alerts");
    reads.put(id + "/metrics", "/apis/{id}/metrics");
    reads.put(id + "/metrics?window=1h&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", "/apis/{id}/metrics");
    reads.put(id + "/metrics?window=1y", "/apis/{id}/metrics");
    reads.put(id + "/fields", "/apis/{id}/fields");
    reads.put(id + "/fields?window=1m", "/apis/{id}/fields");
    reads.put(id + "/fields?window=1y", "/apis/{id}/fields");
    reads.put("/metrics", "/metrics");
    reads.put("/internal/stores/no-such-store/" + apiId, "/internal/stores/{store}/{key}");
    for (Map.Entry<String, String> read : reads.entrySet()) {
      check.accept("GET", read.getValue(), send(http, "GET", read.getKey(), READ, null, Map.of()));
      check.accept("GET", read.getValue(), send(http, "GET", read.getKey(), null, null, Map.of()));
    }
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(() ->
        JSON.readTree(send(http, "GET", id + "/metrics", POLL, null, Map.of()).body()).path("items").size() > 0);
    check.accept("GET", "/apis/{id}/metrics", send(http, "GET", id + "/metrics", READ, null, Map.of()));
    // the internal store endpoint: 200 on the instance that owns the key, 503 on the other
    for (String instance : List.of(base, TestStack.stack().apiUrl())) {
      HttpResponse<byte[]> stored = sendTo(http, instance, "/internal/stores/" + StoreNames.STATUS + "/" + apiId, READ);
      check.accept("GET", "/internal/stores/{store}/{key}", stored);
    }
    for (String path : List.of("/health/live", "/health/ready", "/", "/dashboard", "/docs")) {
      check.accept("GET", path, send(http, "GET", path, null, null, Map.of()));
    }

    // the event stream: its answer, and each event's payload against the documented event schemas
    streamEvents(http, id, contract, violations, upstream, apiId);
    check.accept("GET", "/apis/{id}/stream", send(http, "GET", id + "/stream", null, null, Map.of("Accept", "text/event-stream")));

    // 404 on every operation of an API that does not exist
    String unknown = "/apis/unknown-" + apiId;
    for (String[] op : List.of(new String[] {"GET", ""}, new String[] {"PUT", ""}, new String[] {"DELETE", ""},
        new String[] {"POST", "/start"}, new String[] {"POST", "/stop"}, new String[] {"POST", "/notify"},
        new String[] {"GET", "/status"}, new String[] {"GET", "/metrics"}, new String[] {"GET", "/changes"},
        new String[] {"GET", "/logs"}, new String[] {"GET", "/document"}, new String[] {"GET", "/stream"},
        new String[] {"GET", "/deliveries"}, new String[] {"GET", "/fields"}, new String[] {"POST", "/ignore"},
        new String[] {"GET", "/alerts"}, new String[] {"GET", "/incidents"})) {
      HttpResponse<byte[]> missing = send(http, op[0], unknown + op[1], WRITE, op[0].equals("PUT") ? replacement : null,
          Map.of("If-Match", "*", "Accept", "text/event-stream"));
      assertThat(missing.statusCode()).as(op[0] + " " + op[1] + " " + text(missing)).isEqualTo(404);
      check.accept(op[0], "/apis/{id}" + op[1], missing);
    }

    // 405 (no operation: the shared response), 429 on every limited operation
    violations.addAll(contract.violationsOfComponent("MethodNotAllowed", send(http, "PATCH", id, WRITE, null, Map.of())));
    exhaust(http, LIMITED);
    for (String[] op : List.of(new String[] {"POST", "/apis", "/apis"}, new String[] {"POST", "/apis:batch", "/apis:batch"},
        new String[] {"GET", "/apis", "/apis"},
        new String[] {"GET", id, "/apis/{id}"}, new String[] {"PUT", id, "/apis/{id}"}, new String[] {"DELETE", id, "/apis/{id}"},
        new String[] {"POST", id + "/start", "/apis/{id}/start"}, new String[] {"POST", id + "/stop", "/apis/{id}/stop"},
        new String[] {"POST", id + "/notify", "/apis/{id}/notify"}, new String[] {"GET", id + "/status", "/apis/{id}/status"},
        new String[] {"GET", id + "/metrics", "/apis/{id}/metrics"}, new String[] {"GET", id + "/changes", "/apis/{id}/changes"},
        new String[] {"GET", id + "/logs", "/apis/{id}/logs"}, new String[] {"GET", id + "/document", "/apis/{id}/document"},
        new String[] {"GET", id + "/stream", "/apis/{id}/stream"}, new String[] {"GET", "/metrics", "/metrics"},
        new String[] {"GET", id + "/deliveries", "/apis/{id}/deliveries"},
        new String[] {"GET", id + "/fields", "/apis/{id}/fields"}, new String[] {"POST", id + "/ignore", "/apis/{id}/ignore"},

        new String[] {"GET", id + "/alerts", "/apis/{id}/alerts"}, new String[] {"GET", id + "/incidents", "/apis/{id}/incidents"},
        new String[] {"GET", "/alerts", "/alerts"})) {
      HttpResponse<byte[]> limited = send(http, op[0], op[1], LIMITED, null, Map.of("Accept", "text/event-stream"));
      assertThat(limited.statusCode()).as(op[0] + " " + op[1]).isEqualTo(429);
      check.accept(op[0], op[2], limited);
    }

    // the admin console's operations: /dlq and /system (AdminContract: one letter dead-lettered for them)
    AdminContract.check(http, apiId, (method, template, answer) -> check.accept(method, template, answer),
        (method, path, token, body) -> send(http, method, path, token, body, Map.of()), WRITE, READ);

    // and finally the delete
    String current = send(http, "GET", id, READ, null, Map.of()).headers().firstValue("ETag").orElseThrow();
    check.accept("DELETE", "/apis/{id}", send(http, "DELETE", id, WRITE, null, Map.of()));
    check.accept("DELETE", "/apis/{id}", send(http, "DELETE", id, WRITE, null, Map.of("If-Match", "\"0\"")));
    check.accept("DELETE", "/apis/{id}", send(http, "DELETE", id, READ, null, Map.of("If-Match", current)));
    check.accept("DELETE", "/apis/{id}", send(http, "DELETE", id, null, null, Map.of("If-Match", current)));
    HttpResponse<byte[]> deleted = send(http, "DELETE", id, WRITE, null, Map.of("If-Match", current));
    assertThat(deleted.statusCode()).as(text(deleted)).isEqualTo(204);
    check.accept("DELETE", "/apis/{id}", deleted);

    System.out.println("contract: checked " + contract.covered());
    assertThat(violations).isEmpty();
    Set<String> operations = new TreeSet<>();
    contract.covered().forEach(covered -> operations.add(covered.split(" ")[0]));
    assertThat(operations).isEqualTo(contract.operationIds());
    for (String operation : contract.operationIds()) {
      assertThat(contract.covered()).as("a success of " + operation)
          .anyMatch(covered -> covered.startsWith(operation + " 2") || covered.startsWith(operation + " 3"));
    }
    for (String status : List.of("200", "201", "202", "204", "400", "401", "403", "404", "409", "412", "413", "422",
        "428", "429")) {
      assertThat(contract.covered()).as("an answer with status " + status).anyMatch(covered -> covered.endsWith(" " + status));
    }
  }

  @Test
  void shouldLimitForgedTokensByClientAddressWhenTheyAreNotValid() throws Exception {
    for (Object[] target : List.of(new Object[] {"/apis", "127.0.0.2", BURST},
        new Object[] {"/metrics", "127.0.0.3", BURST},
        new Object[] {"/internal/stores/status-store/x", "127.0.0.4", 10 * BURST})) {
      String path = (String) target[0];
      int burst = (Integer) target[2];
      HttpClient from = HttpClient.newBuilder().localAddress(InetAddress.getByName((String) target[1])).build();
      Map<Integer, Integer> statuses = new TreeMap<>();
      HttpResponse<byte[]> unauthorized = null;
      for (int i = 0; i < burst + 50; i++) {
        HttpResponse<byte[]> answer = send(from, "GET", path, "forged-" + i, null, Map.of());
        statuses.merge(answer.statusCode(), 1, Integer::sum);
        if (answer.statusCode() == 401) {
          unauthorized = answer;
        }
      }

      assertThat(statuses).as(path).isEqualTo(Map.of(401, burst, 429, 50));
      assertThat(unauthorized.headers().firstValue("WWW-Authenticate").orElse(""))
          .isEqualTo("Bearer realm=\"seismo\", error=\"invalid_token\"");
    }
    HttpResponse<byte[]> none = send(HttpClient.newHttpClient(), "GET", "/apis", null, null, Map.of());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).isEqualTo("Bearer realm=\"seismo\"");
  }

  @Test
  void shouldShareOneBucketWhenAValidTokenVariesInWhitespaceAndCase() {
    HttpClient http = HttpClient.newHttpClient();
    List<String> variants = List.of("Bearer " + SPACES, "Bearer   " + SPACES, "bearer " + SPACES, "BEARER \t" + SPACES,
        "Bearer " + SPACES + " \t");
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < BURST + 50; i++) {
      HttpResponse<byte[]> answer = sendRaw(http, "GET", "/apis?limit=1", Map.of("Authorization", variants.get(i % variants.size())));
      statuses.merge(answer.statusCode(), 1, Integer::sum);
    }

    assertThat(statuses).isEqualTo(Map.of(200, BURST, 429, 50));
  }

  /** Spends a principal's whole burst. */
  private static void exhaust(HttpClient http, String token) {
    Map<Integer, Integer> statuses = new HashMap<>();
    for (int i = 0; i < BURST; i++) {
      statuses.merge(send(http, "GET", "/apis?limit=1", token, null, Map.of()).statusCode(), 1, Integer::sum);
    }
    assertThat(statuses).isEqualTo(Map.of(200, BURST));
  }

  private static void streamEvents(HttpClient http, String id, OpenApiContract contract, List<String> violations,
                                   DemoUpstream upstream, String apiId) throws Exception {
    HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(base + id + "/stream"))
        .header("Authorization", "Bearer " + READ).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    violations.addAll(contract.violations("GET", "/apis/{id}/stream", headOnly(stream)));
    Map<String, String> seen = new LinkedHashMap<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      String type = null;
      StringBuilder data = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      boolean changed = false;
      while (System.nanoTime() < deadline && !(seen.containsKey("data") && seen.containsKey("patch"))) {
        String line = lines.readLine();
        if (line == null) {
          break;
        }
        if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).stripLeading());
        } else if (line.isEmpty() && type != null) {
          seen.put(type, data.toString());
          if (type.equals("data") && !changed) {
            upstream.put("/" + apiId, "{\"v\":3,\"items\":[1,2,3]}");
            changed = true;
          }
          type = null;
          data.setLength(0);
        }
      }
    }
    assertThat(seen.keySet()).contains("data", "patch");
    violations.addAll(contract.violationsOfSchema("StreamDataEvent", seen.get("data")));
    violations.addAll(contract.violationsOfSchema("StreamPatchEvent", seen.get("patch")));
  }

  /** The status and headers of a streamed answer, its body left out. */
  private static HttpResponse<byte[]> headOnly(HttpResponse<?> response) {
    return new HttpResponse<>() {
      public int statusCode() { return response.statusCode(); }
      public HttpRequest request() { return response.request(); }
      public java.util.Optional<HttpResponse<byte[]>> previousResponse() { return java.util.Optional.empty(); }
      public java.net.http.HttpHeaders headers() { return response.headers(); }
      public byte[] body() { return new byte[0]; }
      public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
      public URI uri() { return response.uri(); }
      public HttpClient.Version version() { return response.version(); }
    };
  }

  @FunctionalInterface
  private interface Checker {
    void accept(String method, String template, HttpResponse<byte[]> answer);
  }

  private static String text(HttpResponse<byte[]> answer) {
    return answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> send(HttpClient http, String method, String path, String token, String body,
                                           Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (token != null) {
      all.put("Authorization", "Bearer " + token);
    }
    if (body != null) {
      all.put("Content-Type", "application/json");
    }
    return sendRaw(http, method, path, all, body);
  }

  private static HttpResponse<byte[]> sendTo(HttpClient http, String instance, String path, String token) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(instance + path)).header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(instance + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<byte[]> sendRaw(HttpClient http, String method, String path, Map<String, String> headers) {
    return sendRaw(http, method, path, headers, null);
  }

  private static HttpResponse<byte[]> sendRaw(HttpClient http, String method, String path, Map<String, String> headers,
                                              String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unused")
  private static JsonNode json(HttpResponse<byte[]> answer) throws IOException {
    return JSON.readTree(answer.body());
  }
}
