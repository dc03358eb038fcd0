package io.seismo.bench;

import io.javalin.Javalin;
import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.config.Settings;
import io.seismo.schemas.topic.TopicInitializer;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Status lookups through the control API (interactive query, JSON) vs a bare Javalin handler returning a constant. */
final class ApiBench {

  private static final int CONCURRENCY = 16;
  private final double seconds;

  private final boolean quick;

  ApiBench(boolean quick) {
    this.quick = quick;
    this.seconds = quick ? 3 : 8;
  }

  List<Row> run() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 2, Optional.empty()).ensure(Topics.ALL);
      }
      java.nio.file.Path stateDir = Files.createTempDirectory("bench-api");
      ControlApi api = ControlApi.start(ApiConfig.from(new Settings(Map.of(
          "SEISMO_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "SEISMO_API_PORT", "0",
          "SEISMO_API_WRITE_TOKENS", "bench", "SEISMO_API_RATE_LIMIT", "1000000", "SEISMO_API_RATE_BURST", "1000000",
          "SEISMO_TOPOLOGY_STATE_DIR", stateDir.toString()))));
      HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      String base = "http://localhost:" + api.port();
      try {
        awaitReady(client, base);
        client.send(HttpRequest.newBuilder(URI.create(base + "/apis")).header("Authorization", "Bearer bench")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"apiId\":\"bench\",\"url\":\"https://example.org/\","
                + "\"desiredState\":\"STOPPED\"}")).build(), HttpResponse.BodyHandlers.discarding());
        sample(broker.bootstrapServers());
        URI status = URI.create(base + "/apis/bench/status");
        while (client.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        // the same server settings as the control API (virtual threads), so only the handlers differ
        Javalin bare = Javalin.create(config -> {
          config.concurrency.useVirtualThreads = true;
          config.startup.showJavalinBanner = false;
          config.routes.get("/constant",
              ctx -> ctx.contentType("application/json").result("{\"apiId\":\"bench\",\"state\":\"RUNNING\"}"));
        }).start(0);
        URI constant = URI.create("http://localhost:" + bare.port() + "/constant");
        double seismo;
        double baseline;
        Latencies apiLatencies = new Latencies(5_000_000);
        Latencies paced;
        try {
          // a warm-up round on both first: a cold run spends ~40% of the CPU in the JIT compiler
          loop(client, status, new Latencies(5_000_000));
          loop(client, constant, new Latencies(5_000_000));
          seismo = loop(client, status, apiLatencies);
          paced = paced(client, status, 1_000);
          Latencies bareLatencies = new Latencies(5_000_000);
          baseline = loop(client, constant, bareLatencies);
        } finally {
          bare.stop();
        }
        Latencies visibility = visibility(broker.bootstrapServers(), client, status, quick ? 30 : 150);
        return List.of(
            Row.lower("end-to-end: poll record → REST status p99", "ms", visibility.percentileMs(0.99), Double.NaN,
                1_000, "a PollResult produced to seismo.raw.polls until GET /apis/{id}/status counts it; p50 "
                    + String.format(java.util.Locale.ROOT, "%.0f ms", visibility.percentileMs(0.50))
                    + ", exactly-once topology, default commit interval"),
            Row.higher("api: GET /apis/{id}/status", "req/s", seismo, baseline, 0.5,
                CONCURRENCY + " clients, after a warm-up round; baseline: bare Javalin (virtual threads) returning a constant"),
            Row.lower("api: status p99 at 1,000 req/s", "ms", paced.percentileMs(0.99), Double.NaN, 10,
                "open-loop: one request per millisecond for " + (int) seconds + " s; at full load ("
                    + Math.round(seismo) + " req/s) p99 was " + String.format(java.util.Locale.ROOT, "%.1f ms",
                    apiLatencies.percentileMs(0.99))));
      } finally {
        client.close();
        api.close();
        org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
      }
    }
  }

  /**
   * Poll → REST visibility: one PollResult at a time, timed from the send until the status served by
   * the control API counts it (read every 2 ms).
   */
  private static Latencies visibility(String bootstrap, HttpClient client, URI status, int samples) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    Latencies latencies = new Latencies(samples);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
        Topics.RAW_POLLS.valueSerde().serializer())) {
      long counted = json.readTree(client.send(HttpRequest.newBuilder(status).build(),
          HttpResponse.BodyHandlers.ofString()).body()).path("samples").asLong();
      for (int i = 0; i < samples; i++) {
        long started = System.nanoTime();
        producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), "bench", PollResult.newBuilder().setApiId("bench")
            .setSequence(100 + i).setRequestedAt(Instant.now()).setLatencyMs(3).setHttpStatus(200)
            .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build()));
        counted++;
        while (json.readTree(client.send(HttpRequest.newBuilder(status).build(),
            HttpResponse.BodyHandlers.ofString()).body()).path("samples").asLong() < counted) {
          if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(30)) {
            throw new IllegalStateException("a poll was not visible over REST within 30 s");
          }
          TimeUnit.MILLISECONDS.sleep(2);
        }
        latencies.add(System.nanoTime() - started);
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }
    return latencies;
  }

  private static void sample(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
        Topics.RAW_POLLS.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), "bench", PollResult.newBuilder().setApiId("bench")
          .setSequence(1).setRequestedAt(Instant.now()).setLatencyMs(3).setHttpStatus(200)
          .setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build()));
    }
  }

  private static void awaitReady(HttpClient client, String base) throws Exception {
    for (int i = 0; i < 600; i++) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("control API not ready");
  }

  /** Open-loop load: {@code rate} requests per second regardless of answers; returns their latencies. */
  private Latencies paced(HttpClient client, URI uri, int rate) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    Latencies latencies = new Latencies((int) (rate * seconds) + 10);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long n = 0; n < rate * seconds; n++) {
        long due = start + n * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        workers.submit(() -> {
          client.send(request, HttpResponse.BodyHandlers.ofString());
          latencies.add(System.nanoTime() - due);
          return null;
        });
      }
    }
    return latencies;
  }

  private double loop(HttpClient client, URI uri, Latencies latencies) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    AtomicLong done = new AtomicLong();
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    long end = warmupEnd + (long) (seconds * 1e9);
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CONCURRENCY; i++) {
        workers.submit(() -> {
          long start;
          while ((start = System.nanoTime()) < end) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
              throw new IllegalStateException("HTTP " + response.statusCode());
            }
            if (start > warmupEnd) {
              latencies.add(System.nanoTime() - start);
              done.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    return done.get() / seconds;
  }
}
