package io.seismo.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.error.Problem;
import io.seismo.api.error.ProblemException;
import io.seismo.schemas.Change;
import io.seismo.topology.analysis.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream handler on a real Javalin server, read by clients we did not write (okhttp-sse's EventSource, the JDK
 * HTTP client, a raw socket that never reads); documents come from an in-memory source, changes from the feed's
 * own dispatch (the Kafka side is {@code StreamIT}'s).
 */
class StreamHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READ_TOKEN = "reader-one";
  private static final String OTHER_READ_TOKEN = "reader-two";

  private final Map<String, byte[]> documents = new ConcurrentHashMap<>();
  private final ChangeFeed feed = new ChangeFeed("localhost:1", new Properties());
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private OpenStreams streams;
  private Javalin app;

  record Event(String type, String id, String data) {}

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeables.reversed()) {
      closeable.close();
    }
    if (app != null) {
      app.stop();
    }
    if (streams != null) {
      streams.close();
    }
    feed.close();
  }

  @Test
  void shouldSendTheFirstDocumentAsDataWhenItAppearsAfterTheClientSubscribed() throws Exception {
    start(settings(Duration.ofMinutes(5), Duration.ofSeconds(30), 1 << 20, Duration.ofHours(1), 8, 8), false);
    BlockingQueue<Event> events = okHttpEventSource("/apis/api/stream", null);
    assertThat(events.poll(20, TimeUnit.SECONDS)).extracting(Event::type).isEqualTo("open");
    await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 1);

    byte[] first = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    documents.put("api", first);
    feed.documentAt("api", ContentHash.of(first)); // what the status topic says once the first sample is committed

    assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo(new Event("data", ContentHash.of(first), "{\"a\":1}"));
    feed.dispatch("api", change(ContentHash.of(first), "h2", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"));
    assertThat(events.poll(20, TimeUnit.SECONDS))
        .isEqualTo(new Event("patch", "h2", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"));
  }

  @Test
  void shouldCountExactlyTheBytesAndEventsEachClientWasSentWhenAskedForTheStreamsClients() throws Exception {
    start(settings(Duration.ofMinutes(5), Duration.ofSeconds(30), 1 << 20, Duration.ofHours(1), 8, 8), false);
    byte[] first = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    documents.put("api", first);
    HttpClient http = HttpClient.newHttpClient();
    String dataFrame = "event: data\nid: " + ContentHash.of(first) + "\ndata: {\"a\":1}\n\n";
    String patchFrame = "event: patch\nid: h2\ndata: [{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]\n\n";

    HttpResponse<InputStream> response = http.send(request("/apis/api/stream", null).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      assertThat(new String(body.readNBytes(dataFrame.length()), StandardCharsets.UTF_8)).isEqualTo(dataFrame);
      feed.dispatch("api", change(ContentHash.of(first), "h2", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"));
      assertThat(new String(body.readNBytes(patchFrame.length()), StandardCharsets.UTF_8)).isEqualTo(patchFrame);

      JsonNode sent = JSON.readTree(http.send(request("/apis/api/stream/clients", null).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(sent.path("connections").asLong()).isEqualTo(1);
      assertThat(sent.path("events").asLong()).isEqualTo(2);
      assertThat(sent.path("bytes").asLong()).isEqualTo(dataFrame.length() + patchFrame.length());
      assertThat(sent.path("open")).hasSize(1);
      assertThat(sent.path("open").get(0).path("bytes").asLong()).isEqualTo(dataFrame.length() + patchFrame.length());
      assertThat(sent.path("open").get(0).path("events").asLong()).isEqualTo(2);
      assertThat(streams.sentBytes()).isEqualTo(dataFrame.length() + patchFrame.length());
    }
  }

  @Test
  void shouldSendTheFirstDocumentAtTheNextHeartbeatWhenNoStatusAnnouncesIt() throws Exception {
    start(settings(Duration.ofMillis(200), Duration.ofSeconds(30), 1 << 20, Duration.ofHours(1), 8, 8), false);
    BlockingQueue<Event> events = okHttpEventSource("/apis/api/stream", null);
    assertThat(events.poll(20, TimeUnit.SECONDS)).extracting(Event::type).isEqualTo("open");
    documents.put("api", "[1]".getBytes(StandardCharsets.UTF_8));

    assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo(new Event("data", ContentHash.of("[1]".getBytes(
        StandardCharsets.UTF_8)), "[1]"));
  }

  @Test
  void shouldAnswer406ProblemWhenAcceptExcludesEventStreamAndStreamWhenItIsAbsentOrAny() throws Exception {
    start(settings(Duration.ofMillis(200), Duration.ofSeconds(30), 1 << 20, Duration.ofHours(1), 8, 8), false);
    documents.put("api", "{}".getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newHttpClient();

    for (String accept : List.of("application/json", "text/event-stream;q=0", "text/html, application/xhtml+xml")) {
      HttpResponse<String> refused = http.send(request("/apis/api/stream", null).header("Accept", accept).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(accept).isEqualTo(406);
      assertThat(refused.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
      assertThat(JSON.readTree(refused.body()).path("type").asText()).isEqualTo("https://seismo.io/problems/not-acceptable");
    }
    for (String accept : new String[] {null, "*/*", "text/*", "application/json, text/event-stream;q=0.1"}) {
      HttpRequest.Builder request = request("/apis/api/stream", null);
      if (accept != null) {
        request.header("Accept", accept);
      }
      HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        assertThat(response.statusCode()).as(String.valueOf(accept)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream;charset=utf-8");
        assertThat(new String(body.readNBytes(22), StandardCharsets.UTF_8)).isEqualTo("event: data\nid: " + ContentHash.of(
            "{}".getBytes(StandardCharsets.UTF_8)).substring(0, 6));
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 0);
  }

  @Test
  void shouldAcceptOnlyRangesThatAdmitEventStream() {
    assertThat(StreamHandler.acceptsEventStream(null)).isTrue();
    assertThat(StreamHandler.acceptsEventStream(" ")).isTrue();
    assertThat(StreamHandler.acceptsEventStream("text/event-stream")).isTrue();
    assertThat(StreamHandler.acceptsEventStream("*/*")).isTrue();
    assertThat(StreamHandler.acceptsEventStream("TEXT/*; q=0.3")).isTrue();
    assertThat(StreamHandler.acceptsEventStream("application/json")).isFalse();
    assertThat(StreamHandler.acceptsEventStream("text/event-stream;q=0, */*;q=0.0")).isFalse();
    assertThat(StreamHandler.acceptsEventStream("text/event-stream;q=zero")).isFalse();
  }

  @Test
  void shouldAnswer429PerCallerAnd503WhenTheInstanceIsFullThenAdmitAgainWhenStreamsClose() throws Exception {
    // a client that left is noticed at the next write: the heartbeat is short here so its slot is freed soon
    start(settings(Duration.ofMillis(200), Duration.ofSeconds(30), 1 << 20, Duration.ofHours(1), 2, 3), true);
    documents.put("api", "{}".getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newHttpClient();
    List<InputStream> open = new ArrayList<>();
    open.add(openStream(http, READ_TOKEN));
    open.add(openStream(http, READ_TOKEN));

    HttpResponse<String> perCaller = http.send(request("/apis/api/stream", READ_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(perCaller.statusCode()).isEqualTo(429);
    assertThat(perCaller.headers().firstValue("Retry-After")).contains("5");
    assertThat(perCaller.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
    assertThat(JSON.readTree(perCaller.body()).path("type").asText()).isEqualTo("https://seismo.io/problems/too-many-streams");

    open.add(openStream(http, OTHER_READ_TOKEN)); // another caller still gets one: 3 of 3 in all
    HttpResponse<String> total = http.send(request("/apis/api/stream", OTHER_READ_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(total.statusCode()).isEqualTo(503);
    assertThat(total.headers().firstValue("Retry-After")).contains("5");
    assertThat(JSON.readTree(total.body()).path("type").asText()).isEqualTo("https://seismo.io/problems/too-many-streams");
    assertThat(streams.open()).isEqualTo(3);

    for (InputStream stream : open) {
      stream.close();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 0); // a closed client frees its slot
    openStream(http, READ_TOKEN).close();
  }

  @Test
  void shouldCountForgedTokensAsTheirClientAddressWhenReadsAreOpen() throws Exception {
    start(settings(Duration.ofSeconds(15), Duration.ofSeconds(30), 1 << 20, Duration.ofHours(1), 2, 100), false);
    documents.put("api", "{}".getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newHttpClient();
    try (InputStream one = openStream(http, "forged-1"); InputStream two = openStream(http, "forged-2")) {
      HttpResponse<String> third = http.send(request("/apis/api/stream", "forged-3").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(third.statusCode()).isEqualTo(429);
    }
  }

  @Test
  void shouldCutOffAClientThatNeverReadsWhenAWriteWaitsLongerThanTheSendTimeout() throws Exception {
    start(settings(Duration.ofHours(1), Duration.ofSeconds(1), Long.MAX_VALUE / 2, Duration.ofHours(1), 8, 8), false);
    String first = "{}";
    documents.put("api", first.getBytes(StandardCharsets.UTF_8));
    try (Socket client = neverReadingClient("/apis/api/stream")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 1);
      String patch = "[{\"op\":\"add\",\"path\":\"/x\",\"value\":\"" + "x".repeat(256 * 1024) + "\"}]";
      String previous = ContentHash.of(first.getBytes(StandardCharsets.UTF_8));
      long started = System.nanoTime();
      for (int i = 0; i < 200 && streams.open() == 1; i++) { // at most 50 MB, far beyond the socket buffers
        feed.dispatch("api", change(previous, "h" + i, patch));
        previous = "h" + i;
        Thread.sleep(20);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 0);
      assertThat(streams.cutOffs(OpenStreams.Cause.SEND_TIMEOUT)).isEqualTo(1);
      assertThat(streams.cutOffs(OpenStreams.Cause.BUFFERED)).isEqualTo(0);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void shouldCutOffAClientThatNeverReadsWhenMoreThanTheBufferedBytesWaitForIt() throws Exception {
    start(settings(Duration.ofHours(1), Duration.ofHours(1), 1024 * 1024, Duration.ofHours(1), 8, 8), false);
    String first = "{}";
    documents.put("api", first.getBytes(StandardCharsets.UTF_8));
    try (Socket client = neverReadingClient("/apis/api/stream")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 1);
      String patch = "[{\"op\":\"add\",\"path\":\"/x\",\"value\":\"" + "x".repeat(256 * 1024) + "\"}]";
      String previous = ContentHash.of(first.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 200 && streams.open() == 1; i++) {
        feed.dispatch("api", change(previous, "h" + i, patch));
        previous = "h" + i;
        Thread.sleep(20);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 0);
      assertThat(streams.cutOffs(OpenStreams.Cause.BUFFERED)).isEqualTo(1);
      assertThat(streams.cutOffs(OpenStreams.Cause.SEND_TIMEOUT)).isEqualTo(0);
    }
  }

  @Test
  void shouldEndAStreamOfAClientThatNeverReadsOnAnIdleApiAfterItsMaximumAge() throws Exception {
    start(settings(Duration.ofMillis(100), Duration.ofSeconds(30), 1 << 20, Duration.ofSeconds(1), 8, 8), false);
    documents.put("api", "{}".getBytes(StandardCharsets.UTF_8));
    try (Socket client = neverReadingClient("/apis/api/stream")) {
      long started = System.nanoTime();
      await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> streams.open() == 0);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
    }
  }

  private static StreamSettings settings(Duration heartbeat, Duration sendTimeout, long maxBuffered, Duration maxAge,
                                         int perCaller, int total) {
    return new StreamSettings(heartbeat, sendTimeout, maxBuffered, maxAge, perCaller, total);
  }

  private void start(StreamSettings settings, boolean readTokens) {
    streams = new OpenStreams(settings, System::nanoTime);
    TokenAuth auth = new TokenAuth(List.of("writer"), readTokens ? List.of(READ_TOKEN, OTHER_READ_TOKEN) : List.of());
    StreamHandler handler = new StreamHandler(auth, new StreamHandler.Source() {
      @Override
      public boolean loaded() {
        return true;
      }

      @Override
      public boolean exists(String apiId) {
        return apiId.equals("api");
      }

      @Override
      public Optional<byte[]> document(String apiId, String authorization) {
        return Optional.ofNullable(documents.get(apiId));
      }

      @Override
      public List<Change> recentNewestFirst(String apiId, String authorization) {
        return List.of();
      }
    }, feed, streams);
    app = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.startup.showJavalinBanner = false;
      config.routes.get("/apis/{id}/stream", handler::handle);
      config.routes.get("/apis/{id}/stream/clients", handler::clients);
      config.routes.exception(ProblemException.class, (e, ctx) -> { // as ControlApi maps them
        e.retryAfter().ifPresent(wait -> ctx.header("Retry-After", Long.toString(wait.toSeconds())));
        try {
          ctx.status(e.status()).contentType(Problem.CONTENT_TYPE).result(JSON.writeValueAsString(e.toProblem(ctx.path())));
        } catch (IOException json) {
          throw new IllegalStateException(json);
        }
      });
    }).start(0);
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  private InputStream openStream(HttpClient http, String token) throws Exception {
    HttpResponse<InputStream> response = http.send(request("/apis/api/stream", token)
        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    InputStream body = response.body();
    assertThat(body.read()).isEqualTo('e'); // the stream began: "event: data"
    return body;
  }

  /** A client that sends a request and never reads the answer, with a small receive window. */
  private Socket neverReadingClient(String path) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("localhost", app.port()), 5000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private BlockingQueue<Event> okHttpEventSource(String path, String token) {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
    Request.Builder request = new Request.Builder().url("http://localhost:" + app.port() + path);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    EventSource source = EventSources.createFactory(http).newEventSource(request.build(), new EventSourceListener() {
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
    closeables.add(() -> {
      source.cancel();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    });
    return events;
  }

  private static Change change(String previous, String next, String patch) {
    return Change.newBuilder().setApiId("api").setAt(Instant.EPOCH).setPatch(patch).setPreviousHash(previous)
        .setNewHash(next).build();
  }
}
