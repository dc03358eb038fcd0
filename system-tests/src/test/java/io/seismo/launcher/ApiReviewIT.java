package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.schemas.Registration;
import io.seismo.testsupport.SharedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile review of the control API over real HTTP: what a careless or malicious caller, or an
 * off-the-shelf client, sees — secrets in answers, conditional requests as RFC 9110 defines them.
 */
class ApiReviewIT {

  private final RestClient rest = new RestClient(TestStack.stack().apiUrl());

  @BeforeEach
  void ready() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  private static String newApiId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String createStopped(String apiId, String extra) {
    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/a\",\"desiredState\":\"STOPPED\"" + extra + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.header("ETag");
  }

  @Test
  void shouldSucceedWhenIfMatchIsAListNamingTheCurrentETag() {
    String apiId = newApiId("ifmatch");
    String created = createStopped(apiId, "");
    String since = created.substring(created.indexOf('-'), created.length() - 1); // ETag: "<version>-<createdAt>"
    String body = "{\"url\":\"https://example.org/b\",\"desiredState\":\"STOPPED\"}";

    // RFC 9110 13.1.1: If-Match = "*" / #entity-tag, compared strongly; any member may match
    RestClient.Answer weak = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, body, "W/\"1" + since + "\"");
    RestClient.Answer otherList = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, body,
        "\"0" + since + "\", W/\"1" + since + "\", \"7" + since + "\"");
    RestClient.Answer list = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, body, "\"0" + since + "\", \"1" + since + "\"");
    RestClient.Answer compact = rest.send("POST", "/apis/" + apiId + "/start", TestStack.WRITE_TOKEN, null,
        "\"9" + since + "\",\"2" + since + "\"");
    RestClient.Answer delete = rest.send("DELETE", "/apis/" + apiId, TestStack.WRITE_TOKEN, null,
        "\"1" + since + "\" , \"3" + since + "\"");

    assertThat(weak.status()).as(weak.body()).isEqualTo(412);
    assertThat(otherList.status()).as(otherList.body()).isEqualTo(412);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.header("ETag")).isEqualTo("\"2" + since + "\"");
    assertThat(compact.status()).as(compact.body()).isEqualTo(200);
    assertThat(compact.header("ETag")).isEqualTo("\"3" + since + "\"");
    assertThat(delete.status()).as(delete.body()).isEqualTo(204);
    assertThat(rest.get("/apis/" + apiId).status()).isEqualTo(404);
  }

  @Test
  void shouldNotEchoAUrlWhenItIsRefused() {
    String apiId = newApiId("echo");
    String url = "ftp://user:pw-S3CRET@example.org/TOKEN-PATH?key=Q-S3CRET";
    RestClient.Answer refusedUrl = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"" + url + "\"}");
    RestClient.Answer refusedHook = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/a\",\"notifyWebhooks\":[\"" + url + "\"]}");

    assertThat(refusedUrl.status()).isEqualTo(400);
    assertThat(refusedUrl.json().path("errors").get(0).path("field").asText()).isEqualTo("url");
    assertThat(refusedHook.status()).isEqualTo(400);
    assertThat(refusedHook.json().path("errors").get(0).path("field").asText()).isEqualTo("notifyWebhooks[0]");
    for (RestClient.Answer refused : List.of(refusedUrl, refusedHook)) {
      assertThat(refused.body()).doesNotContain("S3CRET").doesNotContain("TOKEN-PATH");
    }
  }

  @Test
  void shouldNotShowWebhookUrlsWhenARegistrationIsReadAndKeepThemWhenItIsWrittenBack() {
    String apiId = newApiId("hooks");
    String slack = "https://hooks.slack.com/services/T000/B000/SLACK-T0KEN-" + UUID.randomUUID();
    String other = "https://example.org/hook?token=QUERY-T0KEN-" + UUID.randomUUID();
    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/a\",\"desiredState\":\"STOPPED\",\"notifyWebhooks\":[\"" + slack
        + "\",\"" + other + "\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    RestClient.Answer read = rest.get("/apis/" + apiId);
    RestClient.Answer listed = rest.get("/apis?limit=500");
    RestClient.Answer stopped = rest.send("POST", "/apis/" + apiId + "/stop", TestStack.WRITE_TOKEN, null, null);

    for (RestClient.Answer shown : List.of(created, read, listed, stopped)) {
      assertThat(shown.body()).doesNotContain("T0KEN");
    }
    assertThat(read.json().path("notifyWebhooks").get(0).asText()).startsWith("https://hooks.slack.com/");
    assertThat(read.json().path("notifyWebhooks").get(1).asText()).startsWith("https://example.org/");

    // the registration read back and written verbatim keeps both webhooks, in order
    RestClient.Answer put = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, read.body(), read.header("ETag"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.body()).doesNotContain("T0KEN");
    Registration written = RegistrationRoundTripIT.lastWritten(apiId);
    assertThat(written.getVersion()).isEqualTo(2);
    assertThat(written.getNotifyWebhooks()).isEqualTo(List.of(slack, other));

    // a shown webhook of another registration is refused, never stored as written
    String foreign = read.body().replace(read.json().path("notifyWebhooks").get(0).asText(),
        "https://hooks.slack.com/#redacted-0000000000000000");
    RestClient.Answer refused = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN,
        foreign.replace("\"version\":1", "\"version\":2"), put.header("ETag"));
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("notifyWebhooks[0]");
    assertThat(RegistrationRoundTripIT.lastWritten(apiId).getVersion()).isEqualTo(2);
  }

  @Test
  void shouldRedactASensitiveHeaderWhenItMixesLiteralTextWithASecretReference() {
    String apiId = newApiId("mixed");
    createStopped(apiId, ",\"headers\":{\"X-Api-Key\":\"LITERAL-S3CRET-${env:SEISMO_SECRET_A}\","
        + "\"Authorization\":\"Bearer ${env:SEISMO_SECRET_TOKEN}\"}");

    RestClient.Answer read = rest.get("/apis/" + apiId);

    assertThat(read.body()).doesNotContain("S3CRET");
    assertThat(read.json().path("headers").path("X-Api-Key").asText()).isEqualTo("<redacted>");
    assertThat(read.json().path("headers").path("Authorization").asText()).isEqualTo("Bearer ${env:SEISMO_SECRET_TOKEN}");
    RestClient.Answer put = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, read.body(), read.header("ETag"));
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(RegistrationRoundTripIT.lastWritten(apiId).getHeaders().get("X-Api-Key"))
        .isEqualTo("LITERAL-S3CRET-${env:SEISMO_SECRET_A}");
  }

  @Test
  void shouldNotEchoAnUnquotedValueWhenTheBodyIsNotJson() {
    String apiId = newApiId("unquoted");
    List<String> bodies = List.of(
        "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/\",\"headers\":{\"X-Api-Key\": sk_live_S3CRET}}",
        "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/\",\"headers\":{\"X-Api-Key\":\"a\" S3CRET}}",
        "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/\",\"headers\":{\"Authorization\": Bearer-S3CRET}}");
    for (String body : bodies) {
      RestClient.Answer refused = rest.post("/apis", TestStack.WRITE_TOKEN, body);

      assertThat(refused.status()).as(refused.body()).isEqualTo(400);
      assertThat(refused.contentType()).isEqualTo("application/problem+json;charset=utf-8");
      assertThat(refused.json().path("detail").asText()).startsWith("the request body is not valid JSON");
      assertThat(refused.body()).doesNotContain("S3CRET");
    }
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, bodies.getFirst()).json().path("detail").asText())
        .startsWith("the request body is not valid JSON: Unrecognized token '…': was expecting (JSON String, Number,"
            + " Array, Object or token 'null', 'true' or 'false') (line 1, column ");
  }

  @Test
  void shouldRefuseTheETagOfADeletedRegistrationWhenItsIdIsRegisteredAgain() {
    String apiId = newApiId("again");
    String old = createStopped(apiId, "");
    RestClient.Answer deleted = rest.send("DELETE", "/apis/" + apiId, TestStack.WRITE_TOKEN, null, old);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    String fresh = createStopped(apiId, ""); // someone else's registration, under the same id
    String body = "{\"url\":\"https://example.org/stale-client\",\"desiredState\":\"STOPPED\"}";

    // a client that read the first registration must not overwrite or delete the second one unseen
    RestClient.Answer put = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, body, old);
    RestClient.Answer start = rest.send("POST", "/apis/" + apiId + "/start", TestStack.WRITE_TOKEN, null, old);
    RestClient.Answer delete = rest.send("DELETE", "/apis/" + apiId, TestStack.WRITE_TOKEN, null, old);

    assertThat(put.status()).as(put.body()).isEqualTo(412);
    assertThat(start.status()).as(start.body()).isEqualTo(412);
    assertThat(delete.status()).as(delete.body()).isEqualTo(412);
    assertThat(RegistrationRoundTripIT.lastWritten(apiId).getUrl()).isEqualTo("https://example.org/a");
    RestClient.Answer current = rest.send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN, body, fresh);
    assertThat(current.status()).as(current.body()).isEqualTo(200);
    assertThat(current.json().path("version").asLong()).isEqualTo(2);
  }

  @Test
  void shouldAnswerHealthAsDocumentedWhileAnInstanceIsStillStarting() throws Exception {
    String spec = rest.get("/openapi.yaml").body();
    OpenApiContract contract = new OpenApiContract(spec);
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ApiConfig config = ApiConfig.from(new Settings(
        Map.of(
            "SEISMO_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers(),
            "SEISMO_API_PORT", Integer.toString(port),
            "SEISMO_API_WRITE_TOKENS", TestStack.WRITE_TOKEN,
            "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-it-starting").toString(),
            "SEISMO_TOPOLOGY_THREADS", "1")));
    CompletableFuture<ControlApi> started =
        CompletableFuture.supplyAsync(() -> ControlApi.start(config));
    HttpClient http = HttpClient.newHttpClient();
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> seen = new ConcurrentSkipListMap<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int probe = 0; probe < 4; probe++) { // several probes at once: the starting window is short
        String path = probe % 2 == 0 ? "/health/live" : "/health/ready";
        pool.submit(() -> {
          long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
          while (!started.isDone() && System.nanoTime() < deadline) {
            HttpResponse<byte[]> answer;
            try {
              answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException notListeningYet) {
              continue;
            }
            if (!started.isDone()) { // an answer of the starting instance
              seen.merge(path + " " + answer.statusCode(), 1, Integer::sum);
              violations.addAll(contract.violations("GET", path, answer));
            }
          }
          return null;
        });
      }
    } finally {
      started.get(90, TimeUnit.SECONDS).close();
    }

    assertThat(seen).as("answers while starting").isNotEmpty();
    assertThat(seen.keySet()).as("answers while starting")
        .allMatch(key -> key.equals("/health/live 200") || key.equals("/health/ready 503"));
    assertThat(violations).isEmpty();
  }

  @Test
  void shouldAnswerHeadOfAStreamAsGetWouldWhenTheCallerHasNoStreamLeft() throws Exception {
    String apiId = newApiId("headcap");
    createStopped(apiId, "");
    String url = TestStack.stack().apiUrl() + "/apis/" + apiId + "/stream";
    // a caller of its own: this client's address
    HttpClient http = HttpClient.newBuilder()
        .localAddress(InetAddress.getByName("127.0.0.5")).build();
    List<InputStream> open = new ArrayList<>();
    try {
      int refused = 0;
      // a stream ends early (event: error) while the stores are not queryable (another test's instance joining
      // the shared topology): then its slot is free again, so try again from zero streams, up to three times
      for (int attempt = 0; attempt < 3 && refused == 0; attempt++) {
        for (InputStream stream : open) {
          stream.close();
        }
        open.clear();
        await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/apis/" + apiId + "/document")
            .status() != 503);
      for (int i = 0; i < 40 && refused == 0; i++) {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create(url.replace("localhost", "127.0.0.1"))).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 200) {
          open.add(response.body());
        } else {
          response.body().close();
          refused = response.statusCode();
        }
      }
      }
      assertThat(refused).isEqualTo(429);

      HttpResponse<Void> head = http.send(HttpRequest.newBuilder(
              URI.create(url.replace("localhost", "127.0.0.1"))).method("HEAD",
              HttpRequest.BodyPublishers.noBody()).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.discarding());

      assertThat(head.statusCode()).isEqualTo(429);
      assertThat(head.headers().firstValue("Retry-After")).contains("5");
    } finally {
      for (InputStream stream : open) {
        stream.close();
      }
    }
  }
}
