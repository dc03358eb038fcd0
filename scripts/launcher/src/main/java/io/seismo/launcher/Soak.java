package io.seismo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.runtime.config.Settings;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code scripts/soak --minutes N | --hours N [--apis 300]}: the quickstart stack with hundreds of demo APIs
 * (one in ten a Streamdata-style SSE stream, the others polled every 2–5 s), and
 * a line per minute of what must not grow without bound — heap after GC, threads, file descriptors,
 * topology lag — plus samples and errors; a summary (first, last, max) at the end.
 */
public final class Soak {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] PATHS = {"/static", "/ticker", "/append", "/flaky"};

  private Soak() {}

  record Reading(Instant at, long heapAfterGcMb, int threads, long fds, long brokerRssMb, long brokerFds, long lag,
                 long samples, long errors, long changes) {}

  public static void main(String[] args) throws Exception {
    int minutes = option(args, "--hours", 0) > 0 ? option(args, "--hours", 0) * 60 : option(args, "--minutes", 30);
    int apis = option(args, "--apis", 300);
    Path home = Files.createTempDirectory("seismo-soak");
    int kafkaPort = Settings.fromEnvironment().integer("SEISMO_SOAK_KAFKA_PORT", 19092, 1, 65534);
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), kafkaPort, kafkaPort + 1);
         DemoUpstream upstream = DemoUpstream.start(0, 5, Clock.systemUTC());
         SeismoStack stack = SeismoStack.start(broker.bootstrapServers(), Settings.fromEnvironment().with(Map.of(
             "SEISMO_API_PORT", "0", "SEISMO_API_WRITE_TOKENS", "soak", "SEISMO_API_RATE_LIMIT", "100000",
             "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8",
             "SEISMO_TOPOLOGY_STATE_DIR", home.resolve("streams").toString())), 6);
         Admin admin = admin(broker.bootstrapServers())) {
      // stopped early (Ctrl-C, kill): the broker is a child process and would outlive this JVM
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "seismo-soak-broker-stop"));
      HttpClient http = HttpClient.newHttpClient();
      awaitReady(http, stack.apiUrl());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < apis; i++) {
        String id = "soak-" + i;
        ids.add(id);
        String body = i % 10 == 9
            ? "{\"apiId\":\"" + id + "\",\"url\":\"" + upstream.url("/stream") + "\",\"mode\":\"SSE\"}"
            : "{\"apiId\":\"" + id + "\",\"url\":\"" + upstream.url(PATHS[i % PATHS.length]) + "\",\"pollIntervalMs\":"
                + (2000 + (i % 4) * 1000) + "}";
        http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/apis")).header("Authorization", "Bearer soak")
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      System.out.printf("soak: %d APIs registered, running %d minutes (api %s)%n", apis, minutes, stack.apiUrl());
      System.out.printf("%-8s %8s %8s %6s %10s %10s %8s %10s %8s %8s%n", "minute", "heapMB", "threads", "fds",
          "brokerMB", "brokerFds", "lag", "samples", "errors", "changes");
      List<Reading> readings = new ArrayList<>();
      for (int minute = 1; minute <= minutes; minute++) {
        TimeUnit.MINUTES.sleep(1);
        Reading reading = read(http, stack.apiUrl(), ids, admin, broker.pid());
        readings.add(reading);
        System.out.printf("%-8d %8d %8d %6d %10d %10d %8d %10d %8d %8d%n", minute, reading.heapAfterGcMb(),
            reading.threads(), reading.fds(), reading.brokerRssMb(), reading.brokerFds(), reading.lag(),
            reading.samples(), reading.errors(), reading.changes());
      }
      summary(readings);
    }
  }

  private static Reading read(HttpClient http, String api, List<String> ids, Admin admin, long brokerPid)
      throws Exception {
    System.gc();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long heap = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    long fds = openFiles("self");
    long samples = 0;
    long errors = 0;
    long changes = 0;
    for (String id : ids) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/apis/" + id + "/status")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        JsonNode status = JSON.readTree(response.body());
        samples += status.path("samples").asLong();
        errors += status.path("errors").asLong();
        changes += status.path("changes").asLong();
      }
    }
    return new Reading(Instant.now(), heap, threads, fds, residentMb(brokerPid), openFiles(Long.toString(brokerPid)),
        lag(admin), samples, errors, changes);
  }

  private static long openFiles(String process) throws IOException {
    try (var stream = Files.list(Path.of("/proc", process, "fd"))) {
      return stream.count();
    }
  }

  /** Resident memory of a process (VmRSS of /proc/pid/status), in MB. */
  private static long residentMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  /** Records of the raw topics (polls and SSE) the topology has not committed yet. */
  private static long lag(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("seismo-topology")
        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < 6; p++) {
      request.put(new TopicPartition(Topics.RAW_POLLS.name(), p), OffsetSpec.latest());
      request.put(new TopicPartition(Topics.RAW_SSE.name(), p), OffsetSpec.latest());
    }
    long lag = 0;
    for (var entry : admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet()) {
      OffsetAndMetadata done = committed.get(entry.getKey());
      lag += entry.getValue().offset() - (done == null ? 0 : done.offset());
    }
    return lag;
  }

  private static void summary(List<Reading> readings) {
    if (readings.isEmpty()) {
      return;
    }
    Reading first = readings.getFirst();
    Reading last = readings.getLast();
    System.out.printf("%nsummary over %d minutes%n", readings.size());
    System.out.printf("  heap after GC  first %d MB, last %d MB, max %d MB%n", first.heapAfterGcMb(), last.heapAfterGcMb(),
        readings.stream().mapToLong(Reading::heapAfterGcMb).max().orElse(0));
    System.out.printf("  threads        first %d, last %d, max %d%n", first.threads(), last.threads(),
        readings.stream().mapToInt(Reading::threads).max().orElse(0));
    System.out.printf("  fds            first %d, last %d, max %d%n", first.fds(), last.fds(),
        readings.stream().mapToLong(Reading::fds).max().orElse(0));
    System.out.printf("  broker RSS     first %d MB, last %d MB, max %d MB%n", first.brokerRssMb(), last.brokerRssMb(),
        readings.stream().mapToLong(Reading::brokerRssMb).max().orElse(0));
    System.out.printf("  broker fds     first %d, last %d, max %d%n", first.brokerFds(), last.brokerFds(),
        readings.stream().mapToLong(Reading::brokerFds).max().orElse(0));
    System.out.printf("  lag            first %d, last %d, max %d%n", first.lag(), last.lag(),
        readings.stream().mapToLong(Reading::lag).max().orElse(0));
    double seconds = Duration.between(first.at(), last.at()).toSeconds();
    System.out.printf("  samples %d (%s), errors %d (demo-flaky answers 503 to every 3rd request), changes %d%n",
        last.samples(), seconds > 0 ? String.format("%.0f/s", (last.samples() - first.samples()) / seconds) : "rate needs two readings",
        last.errors(), last.changes());
  }

  private static void awaitReady(HttpClient http, String api) throws Exception {
    for (int i = 0; i < 600; i++) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(api + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("not ready");
  }

  private static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(props);
  }

  private static int option(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
