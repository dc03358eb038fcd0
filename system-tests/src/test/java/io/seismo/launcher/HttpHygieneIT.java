package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP hygiene of the control API over real HTTP: extreme query bounds are 400s, Jetty's own errors
 * (414, 431, malformed requests) are problem+json too, problem bodies are UTF-8, a wrong method on a
 * known path is 405 with Allow, and HEAD answers what GET would.
 */
class HttpHygieneIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROBLEM_UTF8 = "application/problem+json;charset=utf-8";

  private final SeismoStack stack = TestStack.stack();
  private final RestClient rest = new RestClient(stack.apiUrl());
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void ready() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  @Test
  void shouldAnswer400ProblemWhenMetricsBoundsAreExtreme() {
    String apiId = registerStopped("bounds-");
    List<String> queries = List.of(
        "to=%2B300000000-01-01T00:00:00Z",
        "to=+300000000-01-01T00:00:00Z",
        "from=-999999999-01-01T00:00:00Z",
        "from=%2B1000000000-12-31T23:59:59.999999999Z",
        "to=-1000000000-01-01T00:00:00Z",
        "from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&window=1d",
        "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
        "from=1969-12-31T23:59:59Z&to=1970-01-01T00:00:00Z",
        "to=10000-01-01T00:00:00Z");
    for (String query : queries) {
      HttpResponse<byte[]> answer = send("GET", "/apis/" + apiId + "/metrics?" + query);

      assertThat(answer.statusCode()).as(query + " → " + utf8(answer)).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(query).isEqualTo(PROBLEM_UTF8);
      JsonNode problem = json(answer);
      assertThat(problem.path("status").asInt()).as(query).isEqualTo(400);
      assertThat(problem.path("errors").get(0).path("field").asText()).as(query).isIn("from", "to");
    }
    // the edges of the accepted range still answer
    HttpResponse<byte[]> epoch = send("GET", "/apis/" + apiId + "/metrics?to=1970-01-01T00:00:00Z");
    assertThat(epoch.statusCode()).as(utf8(epoch)).isEqualTo(200);
    assertThat(json(epoch).path("from").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(json(epoch).path("items").size()).isEqualTo(0);
    HttpResponse<byte[]> last = send("GET", "/apis/" + apiId
        + "/metrics?window=1d&from=9999-12-01T00:00:00Z&to=9999-12-31T23:59:59Z");
    assertThat(last.statusCode()).as(utf8(last)).isEqualTo(200);
  }

  @Test
  void shouldAnswerProblemJsonWhenJettyRefusesTheRequest() throws IOException {
    record Raw(String request, int status) {}
    List<Raw> raws = List.of(
        new Raw("GET /apis/" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
        new Raw("GET /apis HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n", 431),
        new Raw("GET /apis/%zz/status HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
        new Raw("GET /apis/caf%C3/status HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
        new Raw("NOT-HTTP\r\n\r\n", 400),
        new Raw("GET /apis HTTP/1.1\r\n\r\n", 400),
        new Raw("GET /apis HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n", 400),
        new Raw("GET /apis/%2e%2e/%2e%2e/status HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
        new Raw("GET /dashboard/..%2F..%2Fopenapi.yaml HTTP/1.1\r\nHost: localhost\r\n\r\n", 404));
    for (Raw raw : raws) {
      RawAnswer answer = rawRequest(raw.request());
      String shown = raw.request().substring(0, Math.min(40, raw.request().length())) + " → " + answer.head();

      assertThat(answer.status()).as(shown).isEqualTo(raw.status());
      assertThat(answer.header("content-type")).as(shown).isEqualTo(PROBLEM_UTF8);
      JsonNode problem = JSON.readTree(answer.body());
      assertThat(problem.path("status").asInt()).as(shown).isEqualTo(raw.status());
      assertThat(problem.path("title").asText()).as(shown).isNotBlank();
      assertThat(answer.body()).as(shown).doesNotContain("<html").doesNotContain("yyyy");
    }
  }

  @Test
  void shouldRoundTripNonAsciiIdsAsUtf8WhenProblemsNameThem() {
    HttpResponse<byte[]> answer = send("GET", "/apis/caf%C3%A9-%E2%9C%93/status");

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type").orElse("")).isEqualTo(PROBLEM_UTF8);
    assertThat(json(answer).path("detail").asText()).isEqualTo("no API with apiId 'café-✓'");
    assertThat(json(answer).path("instance").asText()).isEqualTo("/apis/caf%C3%A9-%E2%9C%93/status"); // a URI reference
  }

  @Test
  void shouldAnswer405WithAllowWhenMethodIsWrongOnAKnownPath() {
    String apiId = registerStopped("allow-");
    record Wrong(String method, String path, Set<String> allow) {}
    List<Wrong> wrongs = List.of(
        new Wrong("DELETE", "/apis", Set.of("GET", "HEAD", "POST")),
        new Wrong("PATCH", "/apis/" + apiId, Set.of("GET", "HEAD", "PUT", "DELETE")),
        new Wrong("POST", "/apis/" + apiId + "/status", Set.of("GET", "HEAD")),
        new Wrong("GET", "/apis/" + apiId + "/start", Set.of("POST")),
        new Wrong("PUT", "/metrics", Set.of("GET", "HEAD")),
        new Wrong("POST", "/health/ready", Set.of("GET", "HEAD")));
    for (Wrong wrong : wrongs) {
      HttpResponse<byte[]> answer = send(wrong.method(), wrong.path());
      String shown = wrong.method() + " " + wrong.path() + " → " + utf8(answer);

      assertThat(answer.statusCode()).as(shown).isEqualTo(405);
      assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(shown).isEqualTo(PROBLEM_UTF8);
      Set<String> allow = new TreeSet<>(Arrays.stream(answer.headers().firstValue("Allow").orElse("").split(","))
          .map(String::strip).filter(method -> !method.isEmpty()).toList());
      assertThat(allow).as(shown).isEqualTo(new TreeSet<>(wrong.allow()));
      assertThat(json(answer).path("status").asInt()).as(shown).isEqualTo(405);
    }
  }

  @Test
  void shouldAnswerHeadLikeGetWhenIdIsUnknownOrKnown() {
    String apiId = registerStopped("head-");
    String unknown = "unknown-" + UUID.randomUUID();
    for (String path : List.of("/apis/" + unknown, "/apis/" + unknown + "/status", "/apis/" + unknown + "/document",
        "/apis/" + unknown + "/logs", "/apis/" + unknown + "/changes", "/apis/" + unknown + "/metrics",
        "/apis/" + unknown + "/stream")) {
      HttpResponse<byte[]> head = send("HEAD", path);
      assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(404);
      assertThat(head.body()).as("HEAD " + path).isEmpty();
    }
    HttpResponse<byte[]> get = send("GET", "/apis/" + apiId);
    HttpResponse<byte[]> head = send("HEAD", "/apis/" + apiId);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
    assertThat(head.headers().firstValue("Content-Length").orElseThrow()).isEqualTo(Integer.toString(get.body().length));
  }

  private String registerStopped(String prefix) {
    String apiId = prefix + UUID.randomUUID().toString().substring(0, 8);
    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
        + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return apiId;
  }

  private HttpResponse<byte[]> send(String method, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String utf8(HttpResponse<byte[]> answer) {
    return answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8);
  }

  /** Decodes strictly: a body that is not valid UTF-8 fails the test. */
  private static JsonNode json(HttpResponse<byte[]> answer) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(answer.body())).toString();
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not UTF-8 JSON: " + utf8(answer), e);
    }
  }

  record RawAnswer(String head, String body) {
    int status() {
      return Integer.parseInt(head.split(" ", 3)[1]);
    }

    String header(String name) {
      return head.lines().skip(1).filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
          .map(line -> line.substring(name.length() + 1).strip()).findFirst().orElse("");
    }
  }

  /** One request written byte for byte on a socket, read until the server closes or the body is complete. */
  private RawAnswer rawRequest(String request) throws IOException {
    try (Socket socket = new Socket("localhost", stack.api().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      while (true) {
        String sofar = read.toString(StandardCharsets.ISO_8859_1);
        int end = sofar.indexOf("\r\n\r\n");
        if (end >= 0) {
          RawAnswer head = new RawAnswer(sofar.substring(0, end), "");
          String length = head.header("content-length");
          byte[] all = read.toByteArray();
          if (!length.isEmpty() && all.length - end - 4 >= Integer.parseInt(length)) {
            return new RawAnswer(head.head(), new String(all, end + 4, Integer.parseInt(length), StandardCharsets.UTF_8));
          }
        }
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketException reset) {
          n = -1;
        }
        if (n < 0) {
          String all = read.toString(StandardCharsets.UTF_8);
          int split = all.indexOf("\r\n\r\n");
          assertThat(split).as("a complete answer to " + request.substring(0, Math.min(40, request.length())) + ": " + all)
              .isGreaterThanOrEqualTo(0);
          return new RawAnswer(all.substring(0, split), all.substring(split + 4));
        }
        read.write(buffer, 0, n);
      }
    }
  }
}
