package io.seismo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.api.route.ApiServer;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import org.apache.kafka.common.utils.Utils;

/** Status lookups through the control API (interactive query, JSON) vs a bare Javalin handler returning a constant. */
final class ApiBench {

  private static final int CONCURRENCY = 16;
  private final double seconds;

  private final boolean quick;
  private final int rounds;
  private final int warmups;

  ApiBench(boolean quick) {
    this.quick = quick;
    this.seconds = quick ? 3 : 5;
    this.rounds = quick ? 1 : 3;
    this.warmups = quick ? 1 : 2; // the first round after a single warm-up was always the lowest
  }

  List<Row> run() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 2, Optional.empty()).ensure(Topics.ALL);
      }
      Path stateDir = Files.createTempDirectory("bench-api");
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
        HttpResponse<byte[]> answer;
        while ((answer = client.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofByteArray()))
            .statusCode() != 200) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        byte[] sameBody = answer.body(); // the baseline answers the same bytes, so only the work behind them differs
        // the same server settings as the control API (virtual threads, accept queue), so only the handlers differ
        Javalin bare = Javalin.create(config -> {
          config.concurrency.useVirtualThreads = true;
          config.startup.showJavalinBanner = false;
          config.jetty.modifyServer(ApiServer::sizeAcceptQueue);
          config.routes.get("/constant", ctx -> ctx.contentType("application/json").result(sameBody));
        }).start(0);
        URI constant = URI.create("http://localhost:" + bare.port() + "/constant");
        AtomicLong errors = new AtomicLong();
        List<Latencies> seismoLatencies = new ArrayList<>();
        List<Latencies> pacedLatencies = new ArrayList<>();
        List<String> pacedKernel = new ArrayList<>();
        List<Row.Round> measured;
        try {
          measured = Rounds.alternate("api", warmups, rounds, () -> {
            Latencies latencies = new Latencies(5_000_000);
            seismoLatencies.add(latencies);
            return loop(client, status, latencies, errors);
          }, () -> loop(client, constant, new Latencies(5_000_000), errors));
          // keep the measured rounds' latencies (the warm-up's first)
          seismoLatencies.subList(0, seismoLatencies.size() - rounds).clear();
          for (int round = 0; round < rounds; round++) {
            Progress.step("api", "paced 1,000 req/s, round " + (round + 1) + "/" + rounds);
            TcpCounters before = TcpCounters.read();
            Latencies paced = paced(client, status, 1_000, errors);
            pacedLatencies.add(paced);
            pacedKernel.add(TcpCounters.read().since(before));
            Progress.round("api", "paced p99 ms, round " + (round + 1) + "/" + rounds, paced.percentileMs(0.99), Double.NaN);
          }
        } finally {
          bare.stop();
        }
        Progress.step("api", "poll record → REST visibility");
        Latencies visibility = visibility(broker.bootstrapServers(), client, status, quick ? 30 : 100);
        List<Row.Round> pacedRounds = pacedLatencies.stream().map(l -> new Row.Round(l.percentileMs(0.99), Double.NaN)).toList();
        Row.Round pacedMedian = Rounds.medianBySeismo(pacedRounds);
        String fullLoadP99 = String.join(" ", seismoLatencies.stream()
            .map(l -> String.format(Locale.ROOT, "%.1f", l.percentileMs(0.99))).toList());
        Row throughput = Rounds.higher("api: GET /apis/{id}/status vs bare Javalin", "req/s", measured, 0.8,
                CONCURRENCY + " closed-loop clients, " + (int) seconds + " s per side per round after " + warmups + " warm-up round(s); "
                    + "median of " + rounds + " alternating rounds; ratios " + Rounds.ratios(measured)
                    + "; full-load p99 per round (ms) " + fullLoadP99 + "; errors " + errors.get())
            .sides("Seismo: the control API (auth, rate limit, interactive query of the status store, JSON); baseline: "
                + "bare Javalin (virtual threads) returning the same status JSON as a constant (same bytes); same JDK HttpClient clients");
        Row latency = Row.lower("api: status p99 at 1,000 req/s", "ms", pacedMedian.seismo(), Double.NaN, 10,
                "open-loop: one request per millisecond for " + (int) seconds + " s per round; median of " + rounds
                    + " rounds; p99 per round (ms) " + String.join(" ", pacedRounds.stream()
                    .map(r -> String.format(Locale.ROOT, "%.1f", r.seismo())).toList())
                    + "; per round: " + String.join(" / ", pacedKernel))
            .rounds(pacedRounds)
            .sides("GET /apis/{id}/status at a fixed 1,000 req/s (latency counted from the scheduled send time)");
        if (errors.get() > 0) {
          throughput = throughput.failure(errors.get() + " requests failed (non-200 or exception)");
          latency = latency.failure(errors.get() + " requests failed");
        }
        return List.of(
            Row.lower("end-to-end: poll record → REST status p99", "ms", visibility.percentileMs(0.99), Double.NaN,
                1_000, "p50 " + String.format(Locale.ROOT, "%.0f ms", visibility.percentileMs(0.50))
                    + ", " + visibility.count() + " samples")
                .sides("a PollResult produced to seismo.raw.polls until GET /apis/{id}/status counts it (read every 2 ms); "
                    + "exactly-once topology, commit interval 500 ms"),
            throughput, latency);
      } finally {
        client.close();
        api.close();
        Utils.delete(stateDir.toFile());
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
    ObjectMapper json = new ObjectMapper();
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
      } catch (IOException notYet) {
        // starting
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("control API not ready");
  }

  /** Open-loop load: {@code rate} requests per second regardless of answers; returns their latencies. */
  private Latencies paced(HttpClient client, URI uri, int rate, AtomicLong errors) throws InterruptedException {
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
          try {
            if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
              errors.incrementAndGet();
            }
          } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
          }
          latencies.add(System.nanoTime() - due);
          return null;
        });
      }
    }
    return latencies;
  }

  /** Closed loop for one round; failed requests are counted in {@code errors}, not retried or hidden. */
  private double loop(HttpClient client, URI uri, Latencies latencies, AtomicLong errors) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    AtomicLong done = new AtomicLong();
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    long end = warmupEnd + (long) (seconds * 1e9);
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CONCURRENCY; i++) {
        workers.submit(() -> {
          long start;
          while ((start = System.nanoTime()) < end) {
            boolean ok;
            try {
              ok = client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
              ok = false;
            }
            if (!ok) {
              errors.incrementAndGet();
            } else if (start > warmupEnd) {
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
