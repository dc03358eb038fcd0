package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** GET /apis/{id}/stream: a client applying the patches holds the upstream document, and resumes with Last-Event-ID. */
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
