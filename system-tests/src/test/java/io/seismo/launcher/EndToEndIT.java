package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.seismo.schemas.Change;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The whole path on a real broker: POST /apis → seismo.registrations → ingest polls a real HTTP
 * upstream → seismo.raw.polls → topology → status store → GET /apis/{id}/status.
 */
class EndToEndIT {

  private static final int K = 3;

  private final SeismoStack stack = TestStack.stack();
  private final DemoUpstream upstream = TestStack.upstream();
  private final RestClient rest = new RestClient(stack.apiUrl());

  @Test
  void shouldReportSamplesSizeAndExactlyKChangesWhenUpstreamChangesKTimes() {
    String apiId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String path = "/" + apiId;
    upstream.put(path, document(0));
    awaitReady();

    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN,
        "{\"apiId\":\"" + apiId + "\",\"url\":\"" + upstream.url(path) + "\",\"pollIntervalMs\":1000}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    for (int version = 1; version <= K; version++) {
      int seen = version - 1;
      // the current document has been sampled (and any previous change detected) before the next change
      awaitStatus(apiId, s -> s.path("changes").asLong() == seen && !s.path("lastContentHash").isNull());
      upstream.put(path, document(version));
      int expected = version;
      awaitStatus(apiId, s -> s.path("changes").asLong() == expected);
    }
    long samples = status(apiId).path("samples").asLong();
    JsonNode finalStatus = awaitStatus(apiId, status -> status.path("samples").asLong() >= samples + 2);

    assertThat(finalStatus.path("state").asText()).isEqualTo("RUNNING");
    assertThat(finalStatus.path("samples").asLong()).isGreaterThan(0);
    assertThat(finalStatus.path("changes").asLong()).isEqualTo(K);
    assertThat(finalStatus.path("lastPayloadBytes").asLong())
        .isEqualTo(document(K).getBytes(StandardCharsets.UTF_8).length);
    assertThat(finalStatus.path("errors").asLong()).isZero();

    List<Change> changes = readChanges(apiId);
    assertThat(changes).hasSize(K);
    assertThat(changes.getLast().getPatch()).contains("\"path\":\"/version\",\"value\":" + K);
    assertThat(rest.get("/apis/" + apiId + "/document").json().path("version").asInt()).isEqualTo(K);

    JsonNode recent = rest.get("/apis/" + apiId + "/changes").json().path("items");
    assertThat(recent).hasSize(K);
    assertThat(recent.get(0).path("patch").get(0).path("path").asText()).isEqualTo("/version");
    // windows are visible to queries as of the last commit (at most a commit interval behind the status)
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      JsonNode windows = rest.get("/apis/" + apiId + "/metrics?window=1m").json().path("items");
      long windowChanges = 0;
      long windowSamples = 0;
      for (JsonNode window : windows) {
        windowChanges += window.path("changes").asLong();
        windowSamples += window.path("samples").asLong();
      }
      assertThat(windowChanges).isEqualTo(K);
      assertThat(windowSamples).isGreaterThanOrEqualTo(finalStatus.path("samples").asLong());
      assertThat(windows.get(0).path("latencyP50Ms").isNumber()).isTrue();
    });
    JsonNode efficiency = finalStatus.path("efficiency");
    assertThat(efficiency.path("bytesStreamed").asLong()).isLessThan(efficiency.path("bytesPolled").asLong());
    JsonNode firstPage = rest.get("/apis/" + apiId + "/logs?limit=5").json();
    JsonNode logs = firstPage.path("items");
    assertThat(logs).hasSize(5);
    assertThat(logs.get(0).path("url").asText()).isEqualTo(upstream.url(path));
    assertThat(logs.get(0).path("kind").asText()).isEqualTo("POLL");
    assertThat(logs.get(0).path("timings").path("firstByteMs").asLong()).isBetween(0L, logs.get(0).path("latencyMs").asLong());
    assertThat(logs.get(0).path("requestHeaders").findValuesAsText("name")).contains("User-Agent", "Accept-Encoding");
    assertThat(logs.get(0).path("responseHeaders").findValuesAsText("name").stream().map(String::toLowerCase))
        .contains("etag", "date");
    // the next page continues where this one ended: entries strictly older, none repeated
    JsonNode secondPage = rest.get("/apis/" + apiId + "/logs?limit=5&cursor=" + firstPage.path("next").asText()).json();
    assertThat(secondPage.path("items").get(0).path("entry").asLong()).isEqualTo(logs.get(4).path("entry").asLong() - 1);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rest.get("/metrics").body())
        .contains("seismo_api_changes_total{api_id=\"" + apiId + "\"} " + K + ".0")
        .contains("seismo_api_state{api_id=\"" + apiId + "\",state=\"RUNNING\"} 1.0")
        .contains("http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"/apis/{id}/status\"}")
        .contains("kafka_stream_thread_process_total")
        .contains("jvm_memory_used_bytes"));
  }

  @Test
  void shouldFollowAStreamdataStyleSseStreamLikeAPolledApi() {
    String apiId = "sse-" + UUID.randomUUID().toString().substring(0, 8);
    awaitReady();

    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + upstream.url("/stream") + "\",\"mode\":\"SSE\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    JsonNode status = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> status(apiId), s -> s.path("changes").asLong() >= 2);
    assertThat(status.path("errors").asLong()).isZero();
    JsonNode opened = rest.get("/apis/" + apiId + "/logs?source=sse").json().path("items");
    assertThat(opened.findValuesAsText("kind")).contains("SSE_OPEN").doesNotContain("POLL");
    assertThat(opened.get(opened.size() - 1).path("httpStatus").asInt()).isEqualTo(200);
    JsonNode document = rest.get("/apis/" + apiId + "/document").json();
    long tick = document.path("tick").asLong();
    assertThat(document.path("price").asDouble()).isEqualTo(DemoUpstream.price(tick));
    JsonNode changes = rest.get("/apis/" + apiId + "/changes").json().path("items");
    assertThat(changes.get(0).path("source").asText()).isEqualTo("SSE");
    assertThat(status.path("efficiency").path("bytesStreamed").asLong()).isPositive();
  }

  @Test
  void shouldMeasurePollingAgainstStreamingWithoutMergingThemWhenAnApiIsObservedBothWays() {
    String apiId = "both-" + UUID.randomUUID().toString().substring(0, 8);
    awaitReady();

    RestClient.Answer created = rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + upstream.url("/stream") + "\",\"mode\":\"BOTH\",\"pollIntervalMs\":1000}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    // the ticker changes every 2 s; the stream pushes each change, polling finds it within a second
    JsonNode status = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> status(apiId), s -> s.path("measured").path("matched").asLong() >= 3);
    JsonNode measured = status.path("measured");
    assertThat(measured.path("streamFirst").asLong() + measured.path("pollFirst").asLong())
        .isEqualTo(measured.path("matched").asLong());
    // the stream pushes each change as it happens; polling every second finds it half a second later on average
    assertThat(measured.path("streamLeadMeanMs").asDouble()).isBetween(0.0, 1_500.0);
    assertThat(measured.path("streamFirst").asLong()).isPositive();
    assertThat(measured.path("streamBytes").asLong()).isPositive();
    assertThat(measured.path("streamEvents").asLong()).isGreaterThanOrEqualTo(measured.path("streamVersions").asLong());
    assertThat(measured.path("pollBytes").asLong()).isEqualTo(status.path("totalWireBytes").asLong());
    assertThat(measured.path("summary").asText()).startsWith("Streaming delivered ");
    // polling is the API's series: its samples, changes and document; the stream does not add to them
    assertThat(status.path("changes").asLong()).isEqualTo(measured.path("pollVersions").asLong());
    JsonNode changes = rest.get("/apis/" + apiId + "/changes").json().path("items");
    assertThat(changes.findValuesAsText("source")).isNotEmpty().containsOnly("POLL");
    JsonNode log = rest.get("/apis/" + apiId + "/logs?limit=500").json().path("items");
    assertThat(log.findValuesAsText("kind")).contains("POLL", "SSE_OPEN");
    // the windows carry the same measured figures, summed
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      long windowed = 0;
      for (JsonNode window : rest.get("/apis/" + apiId + "/metrics?window=1h").json().path("items")) {
        windowed += window.path("measured").path("matched").asLong();
      }
      assertThat(windowed).isGreaterThanOrEqualTo(3);
    });
  }

  @Test
  void shouldReportBlockedSampleWhenARegistrationFromAnotherProducerTargetsMetadataAddress() throws Exception {
    String apiId = "blocked-" + UUID.randomUUID().toString().substring(0, 8);
    awaitReady();
    // the API refuses such a URL (BadInputIT); a producer writing to the control topic directly is
    // stopped by the ingest guard at connection time
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, Registration> producer = new KafkaProducer<>(props,
        new StringSerializer(), Topics.REGISTRATIONS.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), apiId, Registration.newBuilder()
          .setApiId(apiId).setUrl("http://169.254.169.254/latest/meta-data/").setPollIntervalMs(1000).build())).get();
    }

    JsonNode status = awaitStatus(apiId, s -> s.path("errors").asLong() >= 1);
    assertThat(status.path("lastError").path("category").asText()).isEqualTo("BLOCKED");
    assertThat(status.path("lastError").path("message").asText()).contains("169.254.169.254");
  }

  @Test
  void shouldStopPollingWhenStopped() {
    String apiId = "stop-" + UUID.randomUUID().toString().substring(0, 8);
    upstream.put("/" + apiId, "{\"a\":1}");
    awaitReady();
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + upstream.url("/" + apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
    awaitStatus(apiId, s -> s.path("samples").asLong() >= 1);

    RestClient.Answer stopped = rest.post("/apis/" + apiId + "/stop", TestStack.WRITE_TOKEN, "");

    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    assertThat(stopped.json().path("desiredState").asText()).isEqualTo("STOPPED");
    await().atMost(Duration.ofSeconds(10)).until(() -> !stack.ingest().runningApis().contains(apiId));
    assertThat(awaitStatus(apiId, s -> s.path("state").asText().equals("STOPPED")).path("state").asText())
        .isEqualTo("STOPPED");
  }

  @Test
  void shouldDeadLetterUndecodableRawRecordsWithReasonAndKeepRunning() {
    String apiId = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), apiId, "garbage".getBytes(StandardCharsets.UTF_8)));
    }

    ConsumerRecord<String, byte[]> dead = awaitDeadLetter(apiId);

    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
    Header reason = dead.headers().lastHeader("__streams.errors.message");
    assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("cannot decode PollResult");
    assertThat(rest.get("/health/ready").status()).isEqualTo(200);
  }

  private void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
  }

  private JsonNode status(String apiId) {
    RestClient.Answer answer = rest.get("/apis/" + apiId + "/status");
    return answer.status() == 200 ? answer.json() : MissingNode.getInstance();
  }

  private JsonNode awaitStatus(String apiId, Predicate<JsonNode> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(apiId), condition::test);
  }

  private static String document(int version) {
    return "{\"version\":" + version + ",\"items\":[\"a\",\"b\"],\"meta\":{\"source\":\"scripted\"}}";
  }

  private static List<Change> readChanges(String apiId) {
    List<Change> changes = new ArrayList<>();
    try (KafkaConsumer<String, Change> consumer = consumer(Topics.CHANGES.valueSerde().deserializer())) {
      consumer.subscribe(List.of(Topics.CHANGES.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline && changes.size() <= K) {
        for (ConsumerRecord<String, Change> record : consumer.poll(Duration.ofMillis(500))) {
          if (apiId.equals(record.key())) {
            changes.add(record.value());
          }
        }
        if (changes.size() == K) {
          // read a little longer to prove there is no extra change
          for (ConsumerRecord<String, Change> record : consumer.poll(Duration.ofSeconds(1))) {
            if (apiId.equals(record.key())) {
              changes.add(record.value());
            }
          }
          break;
        }
      }
    }
    return changes;
  }

  private static ConsumerRecord<String, byte[]> awaitDeadLetter(String apiId) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DLQ.name()));
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(500)).forEach(record -> {
          if (apiId.equals(record.key())) {
            found.add(record);
          }
        });
        return !found.isEmpty();
      });
      return found.getFirst();
    }
  }

  private static <V> KafkaConsumer<String, V> consumer(Deserializer<V> values) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), values);
  }
}
