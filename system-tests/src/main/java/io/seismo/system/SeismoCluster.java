package io.seismo.system;

import io.seismo.launcher.DemoUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seismo on a real cluster, every part its own process: three combined KRaft nodes, two ingest and two
 * control-api processes, and a demo upstream; layout, ports and the reasons are in docs/cluster-and-chaos.md.
 */
public final class SeismoCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SeismoCluster.class);

  public static final int BROKERS = 3;
  public static final int PARTITIONS = 6;
  public static final short REPLICATION = 3;
  public static final String TOPOLOGY_APP_ID = "seismo-topology";
  /** Session timeout of the ingest and topology consumers: a frozen or killed member is noticed in this. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  private final ClusterOptions options;
  private final String writeToken;
  private final KafkaBrokers brokers;
  private final ClusterAdmin admin;
  private final SeismoServices services;
  private DemoUpstream upstream;

  private SeismoCluster(ClusterOptions options, String writeToken) {
    this.options = options;
    this.writeToken = writeToken;
    this.brokers = new KafkaBrokers(options);
    this.admin = new ClusterAdmin(options.bootstrapServers());
    this.services = new SeismoServices(options, writeToken);
  }

  /** Starts everything and returns once both control APIs answer ready. */
  public static SeismoCluster start(ClusterOptions options) throws IOException, InterruptedException {
    if (options.fresh() && Files.exists(options.home())) {
      deleteRecursively(options.home());
    }
    Files.createDirectories(options.home());
    Path tokenFile = options.home().resolve("write-token");
    if (!Files.exists(tokenFile)) {
      Files.writeString(tokenFile, "cluster-" + Uuid.randomUuid());
    }
    SeismoCluster cluster = new SeismoCluster(options, Files.readString(tokenFile).strip());
    try {
      cluster.startAll();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() throws IOException, InterruptedException {
    brokers.start();
    admin.awaitBrokers(BROKERS, Duration.ofSeconds(900));
    log.info("kafka cluster ready bootstrap={}", bootstrapServers());
    admin.createTopics();
    upstream = DemoUpstream.start(options.upstreamPort(), options.tickSeconds(), Clock.systemUTC());
    services.start();
    for (int i = 1; i <= options.apis(); i++) {
      awaitReady(i, Duration.ofSeconds(900)); // minutes on a loaded 2-core machine
    }
  }

  // ---- Kafka --------------------------------------------------------------------------------------

  public String bootstrapServers() {
    return options.bootstrapServers();
  }

  public Admin admin() {
    return admin.admin();
  }

  /** Waits until {@code count} brokers are registered with the controller. */
  public void awaitBrokers(int count, Duration timeout) throws InterruptedException {
    admin.awaitBrokers(count, timeout);
  }

  /** Waits until every partition of the Seismo topics has all its replicas in sync (false on timeout). */
  public boolean awaitFullIsr(Duration timeout) throws InterruptedException {
    return admin.awaitFullIsr(timeout);
  }

  /** The broker (1-based node id) leading {@code partition} of {@code topic}, if there is a leader. */
  public Optional<Integer> leaderOf(String topic, int partition) {
    return admin.leaderOf(topic, partition);
  }

  public int brokerPort(int id) {
    return options.brokerPort(id);
  }

  public ChildProcess broker(int id) {
    return brokers.get(id);
  }

  /** Starts a broker again and waits until it listens. */
  public void restartBroker(int id) throws IOException, InterruptedException {
    brokers.restart(id);
  }

  public List<ChildProcess> brokers() {
    return brokers.list();
  }

  // ---- services -----------------------------------------------------------------------------------

  public int apiPort(int i) {
    return options.apiPort(i);
  }

  public String apiUrl(int i) {
    return options.apiUrl(i);
  }

  public String writeToken() {
    return writeToken;
  }

  public DemoUpstream upstream() {
    return upstream;
  }

  public int tickSeconds() {
    return options.tickSeconds();
  }

  public List<ChildProcess> apis() {
    return services.apis();
  }

  public List<ChildProcess> ingests() {
    return services.ingests();
  }

  public Path home() {
    return options.home();
  }

  /** The state directory of control API {@code i}'s topology. */
  public Path stateDir(int i) {
    return options.stateDir(i);
  }

  /** Waits until control API {@code i} answers /health/ready with 200. */
  public void awaitReady(int i, Duration timeout) throws InterruptedException {
    services.awaitReady(i, timeout);
  }

  /** Where everything is, for people. */
  public String describe() {
    return ClusterDescription.of(options, brokers.list(), services.apis(), services.ingests(), upstream, writeToken);
  }

  @Override
  public void close() {
    for (ChildProcess ingest : services.ingests()) {
      safely(() -> ingest.stop(30));
    }
    for (ChildProcess api : services.apis()) {
      safely(() -> api.stop(30));
    }
    if (upstream != null) {
      safely(upstream::close);
    }
    // brokers last, in parallel: a controlled shutdown needs the others' controllers up
    List<Thread> stopping = brokers.list().stream().map(b -> Thread.ofPlatform().start(() -> safely(() -> b.stop(60)))).toList();
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void safely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("while stopping: {}", e.toString());
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
