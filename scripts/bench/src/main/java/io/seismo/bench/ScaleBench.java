package io.seismo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.ingest.IngestService;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import io.seismo.topology.SeismoTopology;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Scale: 1k → 10k → 100k registered APIs on one box (all services and the broker in this JVM), most
 * idle (RUNNING, polled once a day), {@value #ACTIVE} active (every 2 s), against a local upstream that
 * answers 304 to a conditional request. Registered through {@code POST /apis:batch} (1,000 per request,
 * the default rate limit's burst is 100 requests). At each size: registration time, heap after GC per
 * registered API (whole JVM) and per idle poll job (ingest alone: its retained heap, measured by
 * stopping it), the time a restarted ingest and a restarted control API take to re-read the control
 * topic and be ready, {@code GET /apis?limit=100} p99, /metrics size and time of both services, and the
 * topology's state directory per API. Separately, on a TopologyTestDriver: samples/s when the set of
 * APIs sampled round-robin is below and above {@code CachedTable}'s 10,000 entries.
 */
final class ScaleBench {

  static final int ACTIVE = 200;
  private static final String TOKEN = "scale";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean quick;
  private final int[] sizes;
  /** Requests the upstream answered for idle APIs: each idle job polls once when it starts. */
  private final AtomicLong idlePolls = new AtomicLong();

  ScaleBench(boolean quick) {
    this.quick = quick;
    this.sizes = quick ? new int[] {1_000, 10_000} : new int[] {1_000, 10_000, 100_000};
  }

  /** One size's measures. */
  record Step(int apis, double registerSeconds, double heapMb, double ingestHeapMb, double ingestReadySeconds,
              double apiReadySeconds, double listP99Ms, int apiMetricsBytes, double apiMetricsMs, int apiMetricsApiSeries,
              int ingestMetricsBytes, double ingestMetricsMs, int ingestMetricsApiSeries, double stateBytes,
              String apiMetricsLargest) {}

  List<Row> run() throws Exception {
    List<Step> steps = new ArrayList<>();
    HttpServer upstream = upstream();
    Path stateDir = Files.createTempDirectory("bench-scale");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 3, Optional.empty()).ensure(Topics.ALL);
      }
      Map<String, String> env = new HashMap<>(Map.of(
          "SEISMO_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "SEISMO_API_PORT", "0", "SEISMO_INGEST_HTTP_PORT", "0",
          "SEISMO_API_WRITE_TOKENS", TOKEN, "SEISMO_ALLOW_HOSTS", "127.0.0.1",
          "SEISMO_TOPOLOGY_STATE_DIR", stateDir.toString(),
          // reads: the list p99 is measured back to back; registration needs no raise (100 batches = the burst)
          "SEISMO_API_RATE_LIMIT", "100000", "SEISMO_API_RATE_BURST", "100000"));
      Settings settings = new Settings(env);
      String url = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/";
      HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      ControlApi api = ControlApi.start(ApiConfig.from(settings));
      IngestService ingest = IngestService.start(IngestConfig.from(settings));
      try {
        String base = "http://127.0.0.1:" + api.port();
        String first = base;
        await("control API ready", Duration.ofMinutes(3), () -> status(http, first + "/apis?limit=1") == 200);
        int registered = 0;
        long expectedIdlePolls = 0;
        double totalRegisterSeconds = 0;
        for (int size : sizes) {
          progress("scale: registering %,d → %,d APIs", registered, size);
          long started = System.nanoTime();
          register(http, base, url, registered, size);
          double seconds = (System.nanoTime() - started) / 1e9;
          totalRegisterSeconds += seconds;
          expectedIdlePolls += size - Math.max(registered, ACTIVE);
          registered = size;
          int expected = size;
          IngestService current = ingest;
          await("ingest runs every job", Duration.ofMinutes(10), () -> current.runningApis().size() == expected);
          long idle = expectedIdlePolls;
          await("every idle job polled once", Duration.ofMinutes(20), () -> idlePolls.get() >= idle);
          String last = apiId(size - 1);
          String currentBase = base;
          await("the topology analysed the last API", Duration.ofMinutes(20),
              () -> status(http, currentBase + "/apis/" + last + "/status") == 200);

          double listP99 = listP99(http, base, size);
          Scrape apiScrape = scrape(http, base + "/metrics", "api_id=");
          Scrape ingestScrape = scrape(http, "http://127.0.0.1:" + ingest.httpPort() + "/metrics", "apiId=");
          double heap = heapAfterGc();
          progress("scale: %,d APIs: restarting ingest", size);
          ingest.close();
          double withoutIngest = heapAfterGc();
          started = System.nanoTime();
          ingest = IngestService.start(IngestConfig.from(settings));
          IngestService restarted = ingest;
          await("restarted ingest ready", Duration.ofMinutes(5), () -> restarted.readiness().ready());
          double ingestReady = (System.nanoTime() - started) / 1e9;
          progress("scale: %,d APIs: restarting the control API", size);
          api.close();
          started = System.nanoTime();
          api = ControlApi.start(ApiConfig.from(settings));
          String restartedBase = "http://127.0.0.1:" + api.port();
          await("restarted control API ready", Duration.ofMinutes(5), () -> status(http, restartedBase + "/health/ready") == 200
              && status(http, restartedBase + "/apis?limit=1") == 200);
          double apiReady = (System.nanoTime() - started) / 1e9;
          base = restartedBase;
          Step step = new Step(size, seconds, heap / 1e6, (heap - withoutIngest) / 1e6, ingestReady, apiReady, listP99,
              apiScrape.bytes, apiScrape.ms, apiScrape.apiLines, ingestScrape.bytes, ingestScrape.ms, ingestScrape.apiLines,
              directoryBytes(stateDir), apiScrape.largest);
          steps.add(step);
          progress("scale: %s", step);
          // the restarted ingest polls every idle job once more: let it drain before the next size
          expectedIdlePolls += size - ACTIVE;
          long drained = expectedIdlePolls;
          await("restarted ingest polled every idle job", Duration.ofMinutes(20), () -> idlePolls.get() >= drained);
        }
        List<Row> rows = rows(steps, totalRegisterSeconds);
        rows.addAll(cachedTable());
        return rows;
      } finally {
        ingest.close();
        api.close();
        upstream.stop(0);
        Utils.delete(stateDir.toFile());
      }
    }
  }

  private List<Row> rows(List<Step> steps, double totalRegisterSeconds) {
    Step last = steps.getLast();
    Step first = steps.getFirst();
    double perApiKb = (last.heapMb - first.heapMb) * 1e6 / (last.apis - first.apis) / 1024;
    double perJobKb = (last.ingestHeapMb - first.ingestHeapMb) * 1e6 / (last.apis - first.apis) / 1024;
    String growth = growth(steps);
    List<Row> rows = new ArrayList<>();
    rows.add(Row.lower("scale: register " + String.format(Locale.ROOT, "%,d", last.apis) + " APIs (batch)", "s",
        totalRegisterSeconds, Double.NaN, last.apis >= 100_000 ? 120 : 120.0 * last.apis / 100_000,
        "POST /apis:batch, 1,000 per request, one client, until written and visible; target 100k in 2 min (pro rata)"));
    rows.add(Row.lower("scale: ingest heap per idle poll job", "KB", perJobKb, Double.NaN, 2,
        "ingest's retained heap after GC (stopped vs running), slope " + first.apis + "→" + last.apis + " jobs; " + growth));
    rows.add(Row.lower("scale: heap per registered API, all services", "KB", perApiKb, Double.NaN, 7,
        "whole JVM after GC (control API + topology + ingest + notifier + broker), slope; before: ~7 KB"));
    rows.add(Row.lower("scale: restarted ingest ready at " + String.format(Locale.ROOT, "%,d", last.apis), "s",
        last.ingestReadySeconds, Double.NaN, 15, "start → /health/ready (control topic re-read, jobs scheduled)"));
    rows.add(Row.lower("scale: restarted control API ready at " + String.format(Locale.ROOT, "%,d", last.apis), "s",
        last.apiReadySeconds, Double.NaN, 15, "start → /health/ready and GET /apis answering (table loaded, stores restored)"));
    rows.add(Row.lower("scale: GET /apis?limit=100 p99 at " + String.format(Locale.ROOT, "%,d", last.apis), "ms",
        last.listP99Ms, Double.NaN, 50, "300 pages from random cursors, one at a time"));
    rows.add(Row.lower("scale: control API /metrics size at " + String.format(Locale.ROOT, "%,d", last.apis), "KB",
        last.apiMetricsBytes / 1024.0, Double.NaN, 1_024, String.format(Locale.ROOT,
            "%.0f ms to scrape; %d per-API lines (SEISMO_API_METRICS_MAX_APIS bounds them); largest: %s", last.apiMetricsMs,
            last.apiMetricsApiSeries, last.apiMetricsLargest)));
    rows.add(Row.lower("scale: ingest /metrics size at " + String.format(Locale.ROOT, "%,d", last.apis), "KB",
        last.ingestMetricsBytes / 1024.0, Double.NaN, 1_024, String.format(Locale.ROOT,
            "%.0f ms to scrape; %d per-job lines", last.ingestMetricsMs, last.ingestMetricsApiSeries)));
    rows.add(Row.lower("scale: topology state per API", "KB", last.stateBytes / last.apis / 1024, Double.NaN, 64,
        "state directory (RocksDB) / APIs, every API sampled at least once"));
    return rows;
  }

  private static String growth(List<Step> steps) {
    StringBuilder text = new StringBuilder("by size:");
    for (Step step : steps) {
      text.append(String.format(Locale.ROOT, " %,d: heap %.0f MB, ingest %.0f MB, register %.1f s, ingest ready %.1f s,"
              + " api ready %.1f s, list p99 %.1f ms, metrics %d/%d KB (api largest: %s), state %.1f MB;", step.apis,
          step.heapMb, step.ingestHeapMb, step.registerSeconds, step.ingestReadySeconds, step.apiReadySeconds,
          step.listP99Ms, step.apiMetricsBytes / 1024, step.ingestMetricsBytes / 1024, step.apiMetricsLargest,
          step.stateBytes / 1e6));
    }
    return text.toString();
  }

  /** Registers apiIds [from, to): the first {@value #ACTIVE} active, the others idle. */
  private static void register(HttpClient http, String base, String url, int from, int to) throws Exception {
    for (int start = from; start < to; start += 1_000) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode items = body.putArray("items");
      for (int i = start; i < Math.min(to, start + 1_000); i++) {
        items.addObject().put("apiId", apiId(i)).put("url", url + (i < ACTIVE ? "active/" : "idle/") + i)
            .put("pollIntervalMs", i < ACTIVE ? 2_000 : 86_400_000);
      }
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/apis:batch"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode result = answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
      if (result == null || result.path("created").asInt() != items.size()) {
        throw new IllegalStateException("batch from " + start + " failed: HTTP " + answer.statusCode() + " "
            + answer.body().substring(0, Math.min(500, answer.body().length())));
      }
    }
  }

  static String apiId(int i) {
    return String.format(Locale.ROOT, "scale-%06d", i);
  }

  private static double listP99(HttpClient http, String base, int size) throws Exception {
    Latencies latencies = new Latencies(300);
    for (int i = 0; i < 300; i++) {
      String after = apiId(ThreadLocalRandom.current().nextInt(size));
      long started = System.nanoTime();
      HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(base + "/apis?limit=100&after=" + after)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (page.statusCode() != 200) {
        throw new IllegalStateException("GET /apis answered " + page.statusCode());
      }
      latencies.add(System.nanoTime() - started);
    }
    return latencies.percentileMs(0.99);
  }

  /** A /metrics answer: size, median time of 5 scrapes, per-API lines, and the metric families holding the most bytes. */
  private record Scrape(int bytes, double ms, int apiLines, String largest) {}

  private static Scrape scrape(HttpClient http, String url, String apiLabel) throws Exception {
    double[] times = new double[5];
    String body = "";
    for (int i = 0; i < times.length; i++) {
      long started = System.nanoTime();
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
          .build(), HttpResponse.BodyHandlers.ofString());
      times[i] = (System.nanoTime() - started) / 1e6;
      body = answer.body();
    }
    Path dump = Path.of("target", "bench", "metrics-" + URI.create(url).getPort() + "-" + System.currentTimeMillis() + ".txt");
    Files.createDirectories(dump.getParent());
    Files.writeString(dump, body);
    Arrays.sort(times);
    int lines = (int) body.lines().filter(line -> !line.startsWith("#") && line.contains(apiLabel)).count();
    return new Scrape(body.getBytes(StandardCharsets.UTF_8).length, times[times.length / 2], lines, largestFamilies(body));
  }

  /** The three metric name prefixes (up to the second underscore) holding the most bytes of a scrape, with their KB. */
  static String largestFamilies(String scrape) {
    Map<String, Long> bytes = new HashMap<>();
    scrape.lines().filter(line -> !line.startsWith("#")).forEach(line -> {
      int end = line.indexOf('{');
      String name = end < 0 ? line.substring(0, Math.max(0, line.indexOf(' '))) : line.substring(0, end);
      int first = name.indexOf('_');
      int second = first < 0 ? -1 : name.indexOf('_', first + 1);
      bytes.merge(second < 0 ? name : name.substring(0, second), (long) line.length() + 1, Long::sum);
    });
    return bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
        .map(entry -> String.format(Locale.ROOT, "%s_* %d KB", entry.getKey(), entry.getValue() / 1024))
        .collect(Collectors.joining(", "));
  }

  private static double heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double directoryBytes(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException gone) {
          return 0; // compacted away while walking
        }
      }).sum();
    }
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("scale: not within " + timeout + ": " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, format + "%n", args);
    System.out.flush();
  }

  /** 200 {"ok":true} with an ETag, 304 to a request that sends it back. */
  private HttpServer upstream() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1_000);
    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestURI().getPath().startsWith("/idle/")) {
        idlePolls.incrementAndGet();
      }
      exchange.getResponseHeaders().add("ETag", "\"v1\"");
      if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        exchange.sendResponseHeaders(304, -1);
      } else {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return server;
  }

  /**
   * The topology alone (TopologyTestDriver), samples of distinct APIs round-robin: below CachedTable's
   * 10,000 entries every read is a cache hit; above, every read decodes from the store.
   */
  private List<Row> cachedTable() throws Exception {
    int[] sets = quick ? new int[] {5_000, 20_000} : new int[] {5_000, 20_000, 50_000};
    double[] rates = new double[sets.length];
    for (int s = 0; s < sets.length; s++) {
      rates[s] = samplesPerSecond(sets[s], quick ? 60_000 : 150_000);
      progress("scale: topology with %,d active APIs round-robin: %,.0f samples/s", sets[s], rates[s]);
    }
    StringBuilder note = new StringBuilder("TopologyTestDriver, distinct APIs sampled round-robin:");
    for (int s = 0; s < sets.length; s++) {
      note.append(String.format(Locale.ROOT, " %,d APIs %,.0f/s;", sets[s], rates[s]));
    }
    note.append(" target: above the bound ≥ 0.8× below it");
    return List.of(Row.higher("scale: topology beyond CachedTable's 10,000", "samples/s", rates[sets.length - 1], rates[0],
        0.8, note.toString()));
  }

  private static void drain(TopologyTestDriver driver, List<TestOutputTopic<byte[], byte[]>> outputs) {
    if (outputs.size() < driver.producedTopicNames().size()) {
      outputs.clear();
      for (String topic : driver.producedTopicNames()) {
        outputs.add(driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()));
      }
    }
    outputs.forEach(output -> output.readRecordsToList());
  }

  private static double samplesPerSecond(int apis, int samples) throws Exception {
    Path state = Files.createTempDirectory("bench-scale-ttd");
    Instant start = Instant.parse("2026-11-24T12:00:00Z");
    TopologyConfig config = TopologyConfig.from(new Settings(Map.of("SEISMO_TOPOLOGY_STATE_DIR", state.toString())));
    try (TopologyTestDriver driver = new TopologyTestDriver(SeismoTopology.build(config),
        TopologyService.streamsProperties(config), start)) {
      TestInputTopic<String, Registration> registrations = driver.createInputTopic(Topics.REGISTRATIONS.name(),
          Serdes.String().serializer(), Topics.REGISTRATIONS.valueSerde().serializer());
      TestInputTopic<String, PollResult> polls = driver.createInputTopic(Topics.RAW_POLLS.name(),
          Serdes.String().serializer(), Topics.RAW_POLLS.valueSerde().serializer());
      for (int i = 0; i < apis; i++) {
        registrations.pipeInput(apiId(i), Registration.newBuilder().setApiId(apiId(i)).setUrl("https://example.org/" + i)
            .setPollIntervalMs(60_000).setDesiredState(DesiredState.RUNNING).build(), start);
      }
      // the driver keeps every output record until read: read (and drop) them as they come
      List<TestOutputTopic<byte[], byte[]>> outputs = new ArrayList<>();
      byte[] body = "{\"ok\":true,\"n\":1}".getBytes(StandardCharsets.UTF_8);
      int warmup = Math.min(samples / 3, apis * 2);
      long began = 0;
      for (int n = 0; n < warmup + samples; n++) {
        if (n == warmup) {
          began = System.nanoTime();
        }
        if (n % 5_000 == 0) {
          drain(driver, outputs);
        }
        int i = n % apis;
        Instant at = start.plusMillis(1_000 + n);
        polls.pipeInput(apiId(i), PollResult.newBuilder().setApiId(apiId(i)).setSequence(n).setRequestedAt(at)
            .setLatencyMs(3).setHttpStatus(200).setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build(), at);
      }
      return samples / ((System.nanoTime() - began) / 1e9);
    } finally {
      Utils.delete(state.toFile());
    }
  }
}
