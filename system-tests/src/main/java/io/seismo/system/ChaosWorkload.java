package io.seismo.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The load of a chaos run: demo APIs registered on the control API, and which of them it acknowledged. */
final class ChaosWorkload {

  private static final Logger log = LoggerFactory.getLogger(ChaosWorkload.class);

  private final SeismoCluster cluster;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, Verifier.Api> apis = new ConcurrentHashMap<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private int extra;

  ChaosWorkload(SeismoCluster cluster) {
    this.cluster = cluster;
  }

  /** The APIs registered so far (acknowledged or found to exist). */
  Collection<Verifier.Api> apis() {
    return apis.values();
  }

  /** The apiIds the control API answered 201 for. */
  Set<String> acknowledged() {
    return acknowledged;
  }

  /**
   * Registers {@code count} demo APIs, in tens: 4 /ticker (a new price every tick), 2 /static (never
   * changes, 304s), 2 /append (an array growing every tick), 1 /flaky (503s and slow answers) polled
   * every 2–5 s, and 1 /stream (SSE: a snapshot, then a patch every tick).
   */
  void registerDemoApis(int count) throws InterruptedException {
    String[] paths = {"/ticker", "/ticker", "/ticker", "/ticker", "/static", "/static", "/append", "/append", "/flaky", "/stream"};
    for (int i = 0; i < count; i++) {
      String path = paths[i % paths.length];
      boolean sse = path.equals("/stream");
      register(String.format("chaos-%s-%03d", path.substring(1), i), path, sse, 2000 + (i % 4) * 1000L);
    }
  }

  /** Three more registrations while the cluster recovers from a blow: none may be lost. */
  void registerWhileRecovering() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      register("chaos-late-" + (extra++), extra % 2 == 0 ? "/ticker" : "/append", false, 3000);
    }
  }

  /** POSTs a registration (retrying while the cluster recovers); remembers it once the control API acknowledged it. */
  private void register(String apiId, String path, boolean sse, long intervalMs) throws InterruptedException {
    String url = cluster.upstream().url(path) + "?api=" + apiId;
    String body = "{\"apiId\":\"" + apiId + "\",\"url\":\"" + url + "\",\"mode\":\"" + (sse ? "SSE" : "POLL")
        + "\",\"pollIntervalMs\":" + intervalMs + "}";
    for (int attempt = 1; attempt <= 10; attempt++) {
      String base = cluster.apiUrl(1 + (apiId.hashCode() & 1));
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/apis"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + cluster.writeToken()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
          acknowledged.add(apiId);
          apis.put(apiId, new Verifier.Api(apiId, sse, intervalMs));
          return;
        }
        if (response.statusCode() == 409) { // an earlier attempt went through after all
          apis.put(apiId, new Verifier.Api(apiId, sse, intervalMs));
          return;
        }
        log.warn("registering {} answered {}: {}", apiId, response.statusCode(), response.body());
      } catch (IOException e) {
        log.warn("registering {} failed: {}", apiId, e.toString());
      }
      TimeUnit.SECONDS.sleep(2L * attempt);
    }
    log.warn("gave up registering {}", apiId);
  }
}
