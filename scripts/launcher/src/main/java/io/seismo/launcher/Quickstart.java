package io.seismo.launcher;

import io.seismo.schemas.config.Settings;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One command, nothing to install but a JDK: a real local KRaft broker, the three Seismo services, a
 * demo upstream, the demo APIs registered. Ctrl-C stops everything in reverse order.
 */
public final class Quickstart {

  private Quickstart() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    Settings env = Settings.fromEnvironment();
    int apiPort = env.integer("SEISMO_API_PORT", 8080, 0, 65535);
    int upstreamPort = env.integer("SEISMO_DEMO_PORT", 8090, 0, 65535);
    String token = env.string("SEISMO_API_WRITE_TOKENS", "quickstart-" + HexFormat.of().formatHex(randomBytes()));
    // the embedded broker starts empty each time, so the local Streams state must too
    Path stateDir = Path.of(env.string("SEISMO_QUICKSTART_DIR", ".seismo/quickstart"), "streams");
    deleteRecursively(stateDir);
    Files.createDirectories(stateDir);

    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
    DemoUpstream upstream = DemoUpstream.start(upstreamPort, 5, Clock.systemUTC());
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("SEISMO_API_PORT", Integer.toString(apiPort));
    overrides.put("SEISMO_API_WRITE_TOKENS", token);
    overrides.put("SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128");
    overrides.put("SEISMO_TOPOLOGY_STATE_DIR", stateDir.toString());
    SeismoStack stack = SeismoStack.start(broker.bootstrapServers(), env.with(overrides), 6);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nseismo: stopping…");
      stack.close();
      upstream.close();
      broker.close();
      stopped.countDown();
    }, "seismo-quickstart-shutdown"));

    waitUntilReady(stack.apiUrl());
    register(stack.apiUrl(), token, "demo-static", upstream.url("/static"), 2000);
    register(stack.apiUrl(), token, "demo-ticker", upstream.url("/ticker"), 1000);

    String api = stack.apiUrl();
    System.out.printf("""

        ════════════════════════════════════════════════════════════════════════
         Seismo is running (ready in %.1f s)
        ────────────────────────────────────────────────────────────────────────
         Kafka bootstrap   %s
         Control API       %s
         Demo upstream     %s  (/static, /ticker)
         Write token       %s

         Try:
           curl -s %s/apis/demo-ticker/status
           curl -s %s/apis/demo-static/status
           curl -s %s/apis/demo-ticker/document
           curl -s -X POST %s/apis -H 'Authorization: Bearer %s' \\
                -H 'Content-Type: application/json' \\
                -d '{"apiId":"my-api","url":"%s","pollIntervalMs":2000}'
           curl -s -X POST %s/apis/demo-ticker/stop -H 'Authorization: Bearer %s'

         Ctrl-C stops everything.
        ════════════════════════════════════════════════════════════════════════
        %n""", (System.nanoTime() - started) / 1e9, broker.bootstrapServers(), api, upstream.url(""), token,
        api, api, api, api, token, upstream.url("/static"), api, token);
    stopped.await();
  }

  private static void waitUntilReady(String api) throws InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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
    throw new IllegalStateException("the control API did not become ready within 60 s");
  }

  private static void register(String api, String token, String apiId, String url, long intervalMs)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    String body = "{\"apiId\":\"" + apiId + "\",\"url\":\"" + url + "\",\"pollIntervalMs\":" + intervalMs + "}";
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(api + "/apis"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201 && response.statusCode() != 409) {
      throw new IllegalStateException("registering " + apiId + " failed: " + response.statusCode() + " " + response.body());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
