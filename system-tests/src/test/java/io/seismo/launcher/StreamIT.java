package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * GET /apis/{id}/stream: a client applying the patches holds the upstream document, and resumes with Last-Event-ID;
 * EventSource clients we did not write (okhttp-sse, npm {@code eventsource}) get the first document even when they
 * subscribed before it existed; an Accept without text/event-stream gets 406.
 */
class StreamIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SeismoStack stack = TestStack.stack();
  private final DemoUpstream upstream = TestStack.upstream();
  private final RestClient rest = new RestClient(stack.apiUrl());

  record Event(String type, String id, String data) {}

  @Test
  void shouldStreamSnapshotThenPatchesAndResumeAfterLastEventId() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    String apiId = "stream-" + UUID.randomUUID().toString().substring(0, 8);
    upstream.put("/" + apiId, document(0));
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + upstream.url("/" + apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(20)).until(() -> rest.get("/apis/" + apiId + "/document").status() == 200);
    assertThat(rest.get("/apis/unknown-" + apiId + "/stream").status()).isEqualTo(404);

    List<Event> received = new ArrayList<>();
    try (Stream<String> lines = open(apiId, null)) {
      BlockingQueue<Event> events = reader(lines);
      Event snapshot = events.poll(10, TimeUnit.SECONDS);
      assertThat(snapshot).isNotNull();
      assertThat(snapshot.type()).isEqualTo("data");
      JsonNode document = JSON.readTree(snapshot.data());
      for (int version = 1; version <= 3; version++) {
        upstream.put("/" + apiId, document(version));
        Event patch = events.poll(20, TimeUnit.SECONDS);
        assertThat(patch).as("patch " + version).isNotNull();
        assertThat(patch.type()).isEqualTo("patch");
        received.add(patch);
        document = JsonPatch.apply(JSON.readTree(patch.data()), document);
      }
      assertThat(document).isEqualTo(JSON.readTree(document(3)));
    }

    try (Stream<String> lines = open(apiId, received.get(1).id())) {
      Event resumed = reader(lines).poll(10, TimeUnit.SECONDS);
      assertThat(resumed).isEqualTo(received.get(2));
    }
  }

  @Test
  void shouldSendTheFirstDocumentToAnOkHttpEventSourceWhenItSubscribedBeforeTheFirstSample() throws Exception {
    String apiId = registerWithoutDocument("first-okhttp-");
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
    EventSource source = EventSources.createFactory(http).newEventSource(
        new Request.Builder().url(stack.apiUrl() + "/apis/" + apiId + "/stream").build(), new EventSourceListener() {
          @Override
          public void onOpen(EventSource eventSource, Response response) {
            events.add(new Event("open", null, response.header("Content-Type")));
          }

          @Override
          public void onEvent(EventSource eventSource, String id, String type, String data) {
            events.add(new Event(type, id, data));
          }

          @Override
          public void onFailure(EventSource eventSource, Throwable t, Response response) {
            events.add(new Event("failure", null, response == null ? String.valueOf(t) : "HTTP " + response.code()));
          }
        });
    try {
      assertThat(events.poll(10, TimeUnit.SECONDS)).extracting(Event::type).isEqualTo("open");
      upstream.put("/" + apiId, document(0)); // the first sample, and the upstream never changes after it

      Event first = events.poll(30, TimeUnit.SECONDS);
      assertThat(first).as("first event").isNotNull();
      assertThat(first.type()).isEqualTo("data");
      assertThat(JSON.readTree(first.data())).isEqualTo(JSON.readTree(document(0)));
    } finally {
      source.cancel();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void shouldSendTheFirstDocumentToANodeEventSourceWhenItSubscribedBeforeTheFirstSample() throws Exception {
    Path client = NodeEventSource.install();
    String apiId = registerWithoutDocument("first-node-");
    Process node = new ProcessBuilder("node", client.toString(), stack.apiUrl() + "/apis/" + apiId + "/stream")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (Stream<String> lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
        StandardCharsets.UTF_8)).lines()) {
      BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
      Thread.ofVirtual().start(() -> lines.forEach(line -> {
        try {
          events.add(JSON.readTree(line));
        } catch (IOException e) {
          events.add(JSON.createObjectNode().put("type", "unparsable").put("data", line));
        }
      }));
      JsonNode opened = events.poll(20, TimeUnit.SECONDS);
      assertThat(opened).as("open").isNotNull();
      assertThat(opened.path("type").asText()).isEqualTo("open");
      upstream.put("/" + apiId, document(0));

      JsonNode first = events.poll(30, TimeUnit.SECONDS);
      assertThat(first).as("first event").isNotNull();
      assertThat(first.path("type").asText()).isEqualTo("data");
      assertThat(JSON.readTree(first.path("data").asText())).isEqualTo(JSON.readTree(document(0)));
    } finally {
      node.destroy();
      if (!node.waitFor(5, TimeUnit.SECONDS)) {
        node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldAnswer406WhenAcceptExcludesEventStreamAndStreamWhenAcceptIsAbsentOrAny() throws Exception {
    String apiId = registerWithoutDocument("accept-");
    upstream.put("/" + apiId, document(0));
    await().atMost(Duration.ofSeconds(20)).until(() -> rest.get("/apis/" + apiId + "/document").status() == 200);
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(stack.apiUrl() + "/apis/" + apiId + "/stream");

    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).header("Accept", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(406);
    assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(JSON.readTree(refused.body()).path("type").asText()).isEqualTo("https://seismo.io/problems/not-acceptable");

    for (String accept : new String[] {null, "*/*", "text/*;q=0.5, application/json"}) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri);
      if (accept != null) {
        request.header("Accept", accept);
      }
      HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = response.body()) {
        assertThat(response.statusCode()).as("Accept: " + accept).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Event first = reader(lines).poll(10, TimeUnit.SECONDS);
        assertThat(first).as("Accept: " + accept).isNotNull();
        assertThat(first.type()).isEqualTo("data");
      }
    }
  }

  @Test
  void shouldCutOffAClientThatNeverReadsWhileTheApiChanges() throws Exception {
    String apiId = registerWithoutDocument("stalled-");
    upstream.put("/" + apiId, bigDocument(0));
    await().atMost(Duration.ofSeconds(20)).until(() -> rest.get("/apis/" + apiId + "/document").status() == 200);
    double cutBefore = cutOffs();
    try (Socket client = new Socket()) {
      client.setReceiveBufferSize(4096);
      client.connect(new InetSocketAddress("localhost", URI.create(stack.apiUrl()).getPort()), 5000);
      client.getOutputStream().write(("GET /apis/" + apiId + "/stream HTTP/1.1\r\nHost: localhost\r\n"
          + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (int version = 1; cutOffs() == cutBefore && System.nanoTime() < deadline; version++) {
        upstream.put("/" + apiId, bigDocument(version)); // a ~512 KB patch per poll, never read by the client
        Thread.sleep(1000);
      }
      assertThat(cutOffs()).isEqualTo(cutBefore + 1); // the server cut it off and counted it

      client.setSoTimeout(10_000); // what is left in the socket, then the end the server made
      try (InputStream in = client.getInputStream()) {
        byte[] buffer = new byte[64 * 1024];
        while (in.read(buffer) >= 0) {
          // drain
        }
      } catch (SocketException reset) {
        // closed with data unread: a reset is an end too
      }
    } finally {
      upstream.put("/" + apiId, document(0));
    }
  }

  @Test
  void shouldAnswer429ProblemWhenOneCallerOpensMoreStreamsThanAllowed() throws Exception {
    String apiId = registerWithoutDocument("capped-");
    HttpClient http = HttpClient.newHttpClient();
    List<InputStream> open = new ArrayList<>();
    try {
      RestClient.Answer refused = null;
      for (int i = 0; i < 40 && refused == null; i++) { // this test's caller is its address: no token
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
            URI.create(stack.apiUrl() + "/apis/" + apiId + "/stream")).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 200) {
          open.add(response.body());
        } else {
          try (InputStream body = response.body()) {
            refused = new RestClient.Answer(response.statusCode(), response.headers(),
                new String(body.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
      assertThat(refused).as("a refusal after " + open.size() + " streams").isNotNull();
      assertThat(refused.status()).isEqualTo(429);
      assertThat(open.size()).isLessThanOrEqualTo(32); // SEISMO_API_STREAM_MAX_PER_CALLER's default
      assertThat(refused.header("Retry-After")).isEqualTo("5");
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(JSON.readTree(refused.body()).path("type").asText()).isEqualTo("https://seismo.io/problems/too-many-streams");
    } finally {
      for (InputStream stream : open) {
        stream.close();
      }
    }
  }

  /** seismo_api_streams_cut_total over its causes, from the instance's Prometheus metrics (0 when absent). */
  private double cutOffs() {
    return rest.get("/metrics").body().lines().filter(line -> line.startsWith("seismo_api_streams_cut_total{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static String bigDocument(int version) {
    Random random = new Random(version);
    StringBuilder blob = new StringBuilder(512 * 1024);
    for (int i = 0; i < 512 * 1024; i++) {
      blob.append((char) ('a' + random.nextInt(26)));
    }
    return "{\"version\":" + version + ",\"blob\":\"" + blob + "\"}";
  }

  /** Registers an API whose upstream path answers 404 until the test puts a document there. */
  private String registerWithoutDocument(String prefix) {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    String apiId = prefix + UUID.randomUUID().toString().substring(0, 8);
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + upstream.url("/" + apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(20)).until(() -> rest.get("/apis/" + apiId).status() == 200);
    assertThat(rest.get("/apis/" + apiId + "/document").status()).isEqualTo(404);
    return apiId;
  }

  /** npm's {@code eventsource} installed under target/, or the test is skipped when node or npm is missing. */
  static final class NodeEventSource {
    static final String PACKAGE = "eventsource@4.1.1";

    static synchronized Path install() throws Exception {
      Path dir = Path.of("target", "sse-client").toAbsolutePath();
      Files.createDirectories(dir);
      Path script = dir.resolve("client.mjs");
      try (var in = StreamIT.class.getResourceAsStream("/sse-client/client.mjs")) {
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      Assumptions.assumeTrue(runs(dir, "node", "--version"), "node is not installed");
      if (!Files.isDirectory(dir.resolve("node_modules/eventsource"))) {
        Assumptions.assumeTrue(runs(dir, "npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix",
            dir.toString(), PACKAGE), "npm could not install " + PACKAGE);
      }
      return script;
    }

    private static boolean runs(Path dir, String... command) {
      try {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return false;
        }
        return process.exitValue() == 0;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private Stream<String> open(String apiId, String lastEventId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/apis/" + apiId + "/stream"))
        .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    return response.body();
  }

  /** Parses SSE frames on a virtual thread; comments (heartbeats) are skipped. */
  private static BlockingQueue<Event> reader(Stream<String> lines) {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      String type = null;
      String id = null;
      StringBuilder data = new StringBuilder();
      try {
        for (String line : (Iterable<String>) lines::iterator) {
          if (line.isEmpty()) {
            if (type != null || data.length() > 0) {
              events.add(new Event(type == null ? "message" : type, id, data.toString()));
            }
            type = null;
            id = null;
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            type = line.substring(6).strip();
          } else if (line.startsWith("id:")) {
            id = line.substring(3).strip();
          } else if (line.startsWith("data:")) {
            data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
          }
        }
      } catch (RuntimeException closed) {
        // the test closed the stream
      }
    });
    return events;
  }

  private static String document(int version) {
    return "{\"version\":" + version + ",\"items\":[" + "1,".repeat(version) + "0],\"meta\":{\"v\":\"" + version + "\"}}";
  }
}
