package io.seismo.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The Seismo service processes: the control-api/topology and ingest JVMs, their environment, and their readiness. */
final class SeismoServices {

  private final ClusterOptions options;
  private final String writeToken;
  private final List<ChildProcess> apis = new ArrayList<>();
  private final List<ChildProcess> ingests = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  SeismoServices(ClusterOptions options, String writeToken) {
    this.options = options;
    this.writeToken = writeToken;
  }

  /** Starts every control API, then every ingest process, without waiting for them. */
  void start() throws IOException {
    for (int i = 1; i <= options.apis(); i++) {
      apis.add(service("api-" + i, "io.seismo.api.ApiMain", apiEnv(i)).start());
    }
    for (int i = 1; i <= options.ingests(); i++) {
      ingests.add(service("ingest-" + i, "io.seismo.ingest.IngestMain", ingestEnv(i)).start());
    }
  }

  List<ChildProcess> apis() {
    return List.copyOf(apis);
  }

  List<ChildProcess> ingests() {
    return List.copyOf(ingests);
  }

  private ChildProcess service(String name, String mainClass, Map<String, String> env) {
    return new ChildProcess(name, mainClass, List.of(), env, "384m", options.home().resolve(name).resolve(name + ".log"));
  }

  private Map<String, String> common() {
    Map<String, String> env = new HashMap<>();
    env.put("SEISMO_BOOTSTRAP_SERVERS", options.bootstrapServers());
    env.put("SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128");
    return env;
  }

  private Map<String, String> apiEnv(int i) {
    Map<String, String> env = common();
    // the topology's classic group; the ingest's consumer group takes the broker's group.consumer.* settings
    env.put("SEISMO_KAFKA_SESSION_TIMEOUT_MS", Long.toString(SeismoCluster.SESSION_TIMEOUT.toMillis()));
    env.put("SEISMO_KAFKA_HEARTBEAT_INTERVAL_MS", "2000");
    env.put("SEISMO_API_PORT", Integer.toString(options.apiPort(i)));
    env.put("SEISMO_API_ADVERTISED_HOST", "localhost"); // application.server = localhost:<port>
    env.put("SEISMO_API_WRITE_TOKENS", writeToken);
    env.put("SEISMO_API_RATE_LIMIT", "100000"); // the chaos verifier reads every API's status and windows
    env.put("SEISMO_API_RATE_BURST", "100000");
    env.put("SEISMO_TOPOLOGY_APPLICATION_ID", SeismoCluster.TOPOLOGY_APP_ID);
    env.put("SEISMO_TOPOLOGY_STATE_DIR", options.stateDir(i).toString());
    env.put("SEISMO_TOPOLOGY_THREADS", "1");
    return env;
  }

  private Map<String, String> ingestEnv(int i) {
    Map<String, String> env = common();
    env.put("SEISMO_INGEST_HTTP_PORT", Integer.toString(options.ingestPort(i)));
    env.put("SEISMO_INGEST_HOST_CONCURRENCY", "64"); // every demo API is on one host
    env.put("SEISMO_NOTIFY_ENABLED", "false");
    return env;
  }

  /** Waits until control API {@code i} answers /health/ready with 200. */
  void awaitReady(int i, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!apis.get(i - 1).isAlive()) {
        throw new IllegalStateException(apis.get(i - 1).name() + " exited; see " + apis.get(i - 1).logFile());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(options.apiUrl(i) + "/health/ready"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(apis.get(i - 1).name() + " not ready within " + timeout);
      }
      TimeUnit.SECONDS.sleep(1);
    }
  }
}
