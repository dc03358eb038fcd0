package io.seismo.launcher;

import io.seismo.runtime.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One command, nothing to install but a JDK: a real local KRaft broker (child JVM, data kept in
 * {@code .seismo/quickstart}), the three Seismo services, a demo upstream and the demo APIs registered.
 * {@code --fresh} starts from empty data. Ctrl-C stops everything in reverse order.
 */
public final class Quickstart {

  /** apiId, path on the demo upstream, poll interval, mode, and change rules (JSON members, or ""). */
  private record Demo(String apiId, String path, long intervalMs, String mode, String rules) {
    Demo(String apiId, String path, long intervalMs, String mode) {
      this(apiId, path, intervalMs, mode, "");
    }
  }

  private static final List<Demo> DEMOS = List.of(
      new Demo("demo-static", "/static", 2_000, "POLL"),
      new Demo("demo-ticker", "/ticker", 1_000, "POLL"),
      new Demo("demo-append", "/append", 2_000, "POLL"),
      new Demo("demo-flaky", "/flaky", 1_000, "POLL"),
      new Demo("demo-large", "/large", 5_000, "POLL"),
      new Demo("demo-stream", "/stream", 60_000, "SSE"),
      // the same ticker polled every 2 s and streamed: which of the two sees each change first, and at what cost
      new Demo("demo-both", "/stream", 2_000, "BOTH"),
      // no rules on purpose: its timestamp and request id make every poll a change until the suggested rules are added
      new Demo("demo-volatile", "/volatile", 1_000, "POLL"),
      new Demo("demo-shuffled", "/shuffled", 1_000, "POLL", ",\"unorderedArrays\":[\"/members\"]"),
      new Demo("demo-records", "/records", 2_000, "POLL", ",\"arrayKeys\":{\"/orders\":\"id\"}"),
      // should update every minute; stops after 3 minutes: its NO_CHANGE rule opens an incident (THRESHOLD)
      new Demo("demo-minutely", "/minutely", 10_000, "POLL", ",\"rules\":[{\"id\":\"updates-every-minute\","
          + "\"kind\":\"NO_CHANGE\",\"periodMs\":90000},{\"id\":\"slow\",\"kind\":\"LATENCY_P95\","
          + "\"window\":\"1m\",\"above\":500,\"forMs\":30000}]"));

  private Quickstart() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception e) {
      System.err.println("seismo: the quickstart failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    long started = System.nanoTime();
    boolean fresh = List.of(args).contains("--fresh");
    Settings env = Settings.fromEnvironment();
    int apiPort = env.integer("SEISMO_API_PORT", 8080, 0, 65535);
    int upstreamPort = env.integer("SEISMO_DEMO_PORT", 8090, 0, 65535);
    int kafkaPort = env.integer("SEISMO_QUICKSTART_KAFKA_PORT", 9092, 1, 65535);
    Path home = Path.of(env.string("SEISMO_QUICKSTART_DIR", ".seismo/quickstart"));
    if (fresh) {
      deleteRecursively(home);
    }
    String token = env.string("SEISMO_API_WRITE_TOKENS", tokenFor(home));
    String notifySecret = env.string("SEISMO_NOTIFY_SECRET", null);
    if (notifySecret == null) {
      notifySecret = notifySecretFor(home);
    }

    LocalKafkaBroker broker = LocalKafkaBroker.start(home.resolve("kafka"), kafkaPort, kafkaPort + 1);
    DemoUpstream upstream = DemoUpstream.start(upstreamPort, 5, Clock.systemUTC());
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("SEISMO_API_PORT", Integer.toString(apiPort));
    overrides.put("SEISMO_API_WRITE_TOKENS", token);
    overrides.put("SEISMO_NOTIFY_SECRET", notifySecret);
    overrides.put("SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128");
    overrides.put("SEISMO_TOPOLOGY_STATE_DIR", home.resolve("streams").toAbsolutePath().toString());
    SeismoStack stack;
    try {
      stack = SeismoStack.start(broker.bootstrapServers(), env.with(overrides), 6);
    } catch (RuntimeException e) {
      upstream.close();
      broker.close();
      throw e;
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nseismo: stopping…");
      stack.close();
      upstream.close();
      broker.close();
      stopped.countDown();
    }, "seismo-quickstart-shutdown"));

    waitUntilReady(stack.apiUrl());
    for (Demo demo : DEMOS) {
      register(stack.apiUrl(), token, demo, upstream.url(demo.path()));
    }

    String api = stack.apiUrl();
    System.out.printf("""

        ════════════════════════════════════════════════════════════════════════════
         Seismo is running (ready in %.1f s; data in %s%s)
        ────────────────────────────────────────────────────────────────────────────
         Dashboard         %s/dashboard/   (paste the write token at its top right to register)
         Kafka bootstrap   %s
         Control API       %s   (OpenAPI: %s/openapi.yaml, Prometheus: %s/metrics)
         Demo upstream     %s   (/static /ticker /append /flaky /large /stream /volatile /shuffled /records)
         Write token       %s
         Webhook secret    %s   (webhooks are signed with it, Standard Webhooks style)

         Demo APIs: demo-static (never changes, 304s), demo-ticker (changes every 5 s),
         demo-append (array grows), demo-flaky (503s and slow answers), demo-large (~200 KB),
         demo-stream (Streamdata-style SSE: a snapshot, then JSON Patches),
         demo-both (the ticker polled and streamed: status .measured says which saw each change first),
         demo-volatile (a timestamp and a request id change on every poll: see /fields for the
         suggested ignore rules), demo-shuffled (a set in random order: unorderedArrays),
         demo-records (orders keyed by id: arrayKeys, patches address orders by id),
         demo-minutely (updates every minute, stops after 3: a NO_CHANGE rule raises THRESHOLD)

         Try:
           curl -s %s/apis/demo-ticker/status
           curl -s '%s/apis/demo-ticker/metrics?window=1m'
           curl -s %s/apis/demo-append/changes?limit=3
           curl -s %s/apis/demo-flaky/logs?limit=5
           curl -s %s/apis/demo-large/document | head -c 300
           curl -s -X POST %s/apis -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                -d '{"apiId":"my-api","url":"%s","pollIntervalMs":2000}'
           SEISMO_TOKEN=%s scripts/seismo status demo-ticker

         Ctrl-C stops everything; scripts/quickstart --fresh starts from empty data.
        ════════════════════════════════════════════════════════════════════════════
        %n""", (System.nanoTime() - started) / 1e9, home, fresh ? ", fresh" : "", api, broker.bootstrapServers(), api, api,
        api, upstream.url(""), token, notifySecret, api, api, api, api, api, api, token, upstream.url("/static"), token);
    stopped.await();
  }

  /** A token kept next to the data, so a restarted quickstart keeps the same one. */
  private static String tokenFor(Path home) throws IOException {
    Path file = home.resolve("write-token");
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    String token = "quickstart-" + HexFormat.of().formatHex(bytes);
    Files.createDirectories(home);
    Files.writeString(file, token);
    return token;
  }

  /**
   * A Standard Webhooks secret ({@code whsec_} and 24 random bytes in base64) kept next to the data like
   * the write token, readable by its owner only where the file system allows it.
   */
  static String notifySecretFor(Path home) throws IOException {
    Path file = home.resolve("notify-secret");
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(bytes);
    Files.createDirectories(home);
    Files.writeString(file, secret);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // kept with the default permissions
    }
    return secret;
  }

  private static void waitUntilReady(String api) throws InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(api + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // the server is starting: try again
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the control API did not become ready within 3 minutes");
  }

  private static void register(String api, String token, Demo demo, String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    String body = "{\"apiId\":\"" + demo.apiId() + "\",\"url\":\"" + url + "\",\"pollIntervalMs\":" + demo.intervalMs()
        + ",\"mode\":\"" + demo.mode() + "\"" + demo.rules() + "}";
    for (int attempt = 0; attempt < 50; attempt++) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(api + "/apis"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 201 || response.statusCode() == 409) {
        return; // 409: registered by an earlier run, kept in the data directory
      }
      if (response.statusCode() != 503) {
        throw new IllegalStateException("registering " + demo.apiId() + " failed: " + response.statusCode() + " "
            + response.body());
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("registering " + demo.apiId() + " kept answering 503");
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
