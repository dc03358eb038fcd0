package io.seismo.system;

import io.seismo.launcher.DemoUpstream;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
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

  /** @param apis control-api/topology processes; @param ingests ingest processes; @param tickSeconds the demo upstream's tick */
  public record Options(Path home, int basePort, int apis, int ingests, int tickSeconds, boolean fresh) {
    public static Options defaults(Path home) {
      return new Options(home, 19092, 2, 2, 5, false);
    }

    public Options withHome(Path home) {
      return new Options(home, basePort, apis, ingests, tickSeconds, fresh);
    }

    public Options withBasePort(int port) {
      return new Options(home, port, apis, ingests, tickSeconds, fresh);
    }

    public Options withFresh(boolean fresh) {
      return new Options(home, basePort, apis, ingests, tickSeconds, fresh);
    }
  }

  private final Options options;
  private final String writeToken;
  private final List<ChildProcess> brokers = new ArrayList<>();
  private final List<ChildProcess> apis = new ArrayList<>();
  private final List<ChildProcess> ingests = new ArrayList<>();
  private DemoUpstream upstream;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SeismoCluster(Options options, String writeToken) {
    this.options = options;
    this.writeToken = writeToken;
  }

  /** Starts everything and returns once both control APIs answer ready. */
  public static SeismoCluster start(Options options) throws IOException, InterruptedException {
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
    startBrokers();
    createTopics();
    upstream = DemoUpstream.start(options.basePort() + 120, options.tickSeconds(), Clock.systemUTC());
    for (int i = 1; i <= options.apis(); i++) {
      apis.add(service("api-" + i, "io.seismo.api.ApiMain", apiEnv(i)).start());
    }
    for (int i = 1; i <= options.ingests(); i++) {
      ingests.add(service("ingest-" + i, "io.seismo.ingest.IngestMain", ingestEnv(i)).start());
    }
    for (int i = 1; i <= options.apis(); i++) {
      awaitReady(i, Duration.ofSeconds(900)); // minutes on a loaded 2-core machine
    }
  }

  // ---- brokers ------------------------------------------------------------------------------------

  private void startBrokers() throws IOException, InterruptedException {
    Path clusterIdFile = options.home().resolve("cluster-id");
    if (!Files.exists(clusterIdFile)) {
      Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
    }
    String clusterId = Files.readString(clusterIdFile).strip();
    String voters = IntStream.rangeClosed(1, BROKERS)
        .mapToObj(id -> id + "@localhost:" + controllerPort(id)).collect(Collectors.joining(","));
    for (int id = 1; id <= BROKERS; id++) {
      Path dir = brokerDir(id);
      Files.createDirectories(dir);
      Path config = dir.resolve("server.properties");
      Files.writeString(config, brokerConfig(id, voters, dir.resolve("log")), StandardCharsets.UTF_8);
      if (!Files.exists(dir.resolve("log").resolve("meta.properties"))) {
        format(clusterId, config, dir.resolve("format.log"));
      }
      brokers.add(new ChildProcess("broker-" + id, "kafka.Kafka", List.of(config.toString()), Map.of(), "512m",
          dir.resolve("broker.log")));
    }
    for (ChildProcess broker : brokers) {
      broker.start();
    }
    for (int id = 1; id <= BROKERS; id++) {
      awaitPort(brokers.get(id - 1), brokerPort(id), Duration.ofSeconds(900));
    }
    awaitBrokers(BROKERS, Duration.ofSeconds(900));
    log.info("kafka cluster ready bootstrap={}", bootstrapServers());
  }

  /**
   * Formats a log directory with Kafka's own StorageTool, in this JVM: a JVM of its own per broker took
   * two minutes on a loaded 2-core machine, for what takes a second here.
   */
  private static void format(String clusterId, Path config, Path logFile) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      code = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()}, print);
    } catch (RuntimeException e) {
      Files.writeString(logFile, out.toString(StandardCharsets.UTF_8) + e);
      throw new IOException("formatting the Kafka log directory of " + config + " failed: " + e, e);
    }
    Files.writeString(logFile, out.toString(StandardCharsets.UTF_8));
    if (code != 0) {
      throw new IOException("formatting the Kafka log directory of " + config + " failed (code " + code + "); see " + logFile);
    }
  }

  private String brokerConfig(int id, String voters, Path logDir) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=" + id,
        "controller.quorum.voters=" + voters,
        "listeners=PLAINTEXT://localhost:" + brokerPort(id) + ",CONTROLLER://localhost:" + controllerPort(id),
        "advertised.listeners=PLAINTEXT://localhost:" + brokerPort(id),
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + logDir.toAbsolutePath(),
        "num.partitions=" + PARTITIONS,
        // every topic, Kafka Streams' internal ones included, has three replicas and takes a write once two have it
        "default.replication.factor=" + REPLICATION,
        "min.insync.replicas=2",
        "offsets.topic.replication.factor=" + REPLICATION,
        "transaction.state.log.replication.factor=" + REPLICATION,
        "transaction.state.log.min.isr=2",
        "share.coordinator.state.topic.replication.factor=" + REPLICATION,
        "share.coordinator.state.topic.min.isr=2",
        "unclean.leader.election.enable=false",
        "group.initial.rebalance.delay.ms=0",
        // the ingest's group (consumer protocol, KIP-848): its session timeout is set here, not by the client
        "group.consumer.min.session.timeout.ms=1000",
        "group.consumer.session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
        "group.consumer.min.heartbeat.interval.ms=500",
        "group.consumer.heartbeat.interval.ms=2000",
        "auto.create.topics.enable=false",
        "num.io.threads=4",
        "num.network.threads=2",
        "num.replica.fetchers=1",
        "log.retention.check.interval.ms=60000",
        "");
  }

  public String bootstrapServers() {
    return IntStream.rangeClosed(1, BROKERS).mapToObj(id -> "localhost:" + brokerPort(id))
        .collect(Collectors.joining(","));
  }

  public Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    return Admin.create(props);
  }

  private void createTopics() {
    try (Admin admin = admin()) {
      List<String> created = new TopicInitializer(admin, PARTITIONS, Optional.of(REPLICATION)).ensure(Topics.ALL);
      log.info("topics ready created={}", created);
    }
  }

  /** Waits until {@code count} brokers are registered with the controller. */
  public void awaitBrokers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          int nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
          if (nodes >= count) {
            return;
          }
        } catch (Exception notYet) {
          // retried below
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("fewer than " + count + " Kafka brokers registered within " + timeout);
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
    }
  }

  /** Waits until every partition of the Seismo topics has all its replicas in sync (false on timeout). */
  public boolean awaitFullIsr(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> names = Topics.ALL.stream().map(spec -> spec.name()).collect(Collectors.toSet());
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS);
          boolean full = topics.values().stream().flatMap(t -> t.partitions().stream())
              .allMatch(p -> p.isr().size() == p.replicas().size() && p.leader() != null);
          if (full) {
            return true;
          }
        } catch (Exception notYet) {
          // retried
        }
        TimeUnit.SECONDS.sleep(1);
      }
    }
    return false;
  }

  /** The broker (1-based node id) leading {@code partition} of {@code topic}, if there is a leader. */
  public Optional<Integer> leaderOf(String topic, int partition) {
    try (Admin admin = admin()) {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      TopicPartitionInfo info = description.partitions().get(partition);
      Node leader = info.leader();
      return leader == null || leader.isEmpty() ? Optional.empty() : Optional.of(leader.id());
    } catch (Exception e) {
      log.warn("cannot describe {}: {}", topic, e.toString());
      return Optional.empty();
    }
  }

  public int brokerPort(int id) {
    return options.basePort() + id - 1;
  }

  private int controllerPort(int id) {
    return options.basePort() + 10 + id - 1;
  }

  private Path brokerDir(int id) {
    return options.home().resolve("broker-" + id);
  }

  public ChildProcess broker(int id) {
    return brokers.get(id - 1);
  }

  /** Starts a broker again and waits until it listens. */
  public void restartBroker(int id) throws IOException, InterruptedException {
    broker(id).start();
    awaitPort(broker(id), brokerPort(id), Duration.ofSeconds(900));
  }

  // ---- services -----------------------------------------------------------------------------------

  private ChildProcess service(String name, String mainClass, Map<String, String> env) {
    return new ChildProcess(name, mainClass, List.of(), env, "384m", options.home().resolve(name).resolve(name + ".log"));
  }

  private Map<String, String> common() {
    Map<String, String> env = new HashMap<>();
    env.put("SEISMO_BOOTSTRAP_SERVERS", bootstrapServers());
    env.put("SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128");
    return env;
  }

  private Map<String, String> apiEnv(int i) {
    Map<String, String> env = common();
    // the topology's classic group; the ingest's consumer group takes the broker's group.consumer.* settings
    env.put("SEISMO_KAFKA_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()));
    env.put("SEISMO_KAFKA_HEARTBEAT_INTERVAL_MS", "2000");
    env.put("SEISMO_API_PORT", Integer.toString(apiPort(i)));
    env.put("SEISMO_API_ADVERTISED_HOST", "localhost"); // application.server = localhost:<port>
    env.put("SEISMO_API_WRITE_TOKENS", writeToken);
    env.put("SEISMO_API_RATE_LIMIT", "100000"); // the chaos verifier reads every API's status and windows
    env.put("SEISMO_API_RATE_BURST", "100000");
    env.put("SEISMO_TOPOLOGY_APPLICATION_ID", TOPOLOGY_APP_ID);
    env.put("SEISMO_TOPOLOGY_STATE_DIR", options.home().resolve("api-" + i).resolve("state").toString());
    env.put("SEISMO_TOPOLOGY_THREADS", "1");
    return env;
  }

  private Map<String, String> ingestEnv(int i) {
    Map<String, String> env = common();
    env.put("SEISMO_INGEST_HTTP_PORT", Integer.toString(options.basePort() + 110 + i - 1));
    env.put("SEISMO_INGEST_HOST_CONCURRENCY", "64"); // every demo API is on one host
    env.put("SEISMO_NOTIFY_ENABLED", "false");
    return env;
  }

  public int apiPort(int i) {
    return options.basePort() + 100 + i - 1;
  }

  public String apiUrl(int i) {
    return "http://localhost:" + apiPort(i);
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
    return List.copyOf(apis);
  }

  public List<ChildProcess> ingests() {
    return List.copyOf(ingests);
  }

  public List<ChildProcess> brokers() {
    return List.copyOf(brokers);
  }

  public Path home() {
    return options.home();
  }

  /** The state directory of control API {@code i}'s topology. */
  public Path stateDir(int i) {
    return options.home().resolve("api-" + i).resolve("state");
  }

  /** Waits until control API {@code i} answers /health/ready with 200. */
  public void awaitReady(int i, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!apis.get(i - 1).isAlive()) {
        throw new IllegalStateException(apis.get(i - 1).name() + " exited; see " + apis.get(i - 1).logFile());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(apiUrl(i) + "/health/ready"))
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

  private static void awaitPort(ChildProcess process, int port, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(process.name() + " exited; see " + process.logFile());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException notYet) {
        TimeUnit.MILLISECONDS.sleep(300);
      }
    }
    throw new IOException(process.name() + " did not listen on port " + port + " within " + timeout);
  }

  /** Where everything is, for people. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append("═".repeat(78)).append('\n');
    out.append(" Seismo cluster (3 combined KRaft nodes, RF=3, min.insync.replicas=2)   data: ").append(options.home()).append('\n');
    out.append("─".repeat(78)).append('\n');
    out.append(" Kafka bootstrap   ").append(bootstrapServers()).append('\n');
    for (ChildProcess broker : brokers) {
      out.append(String.format(" %-17s %s  log %s%n", broker.name(), "pid " + broker.pid(), broker.logFile()));
    }
    for (int i = 1; i <= apis.size(); i++) {
      ChildProcess api = apis.get(i - 1);
      out.append(String.format(" %-17s %s  pid %d  (dashboard %s/dashboard/, state %s)%n", api.name(), apiUrl(i),
          api.pid(), apiUrl(i), stateDir(i)));
    }
    for (int i = 1; i <= ingests.size(); i++) {
      ChildProcess ingest = ingests.get(i - 1);
      out.append(String.format(" %-17s http://localhost:%d/metrics  pid %d%n", ingest.name(), options.basePort() + 110 + i - 1,
          ingest.pid()));
    }
    out.append(" Demo upstream     ").append(upstream == null ? "-" : upstream.url("")).append("  (/static /ticker /append /flaky /large /stream)\n");
    out.append(" Write token       ").append(writeToken).append('\n');
    out.append(" Logs              ").append(options.home()).append("/<process>/<process>.log\n");
    out.append("─".repeat(78)).append('\n');
    out.append(" Try: curl -s -X POST ").append(apiUrl(1)).append("/apis -H 'Authorization: Bearer ").append(writeToken)
        .append("' -H 'Content-Type: application/json' \\\n        -d '{\"apiId\":\"demo-ticker\",\"url\":\"")
        .append(upstream == null ? "" : upstream.url("/ticker")).append("\",\"pollIntervalMs\":2000}'\n");
    out.append("      curl -s ").append(apiUrl(2)).append("/apis/demo-ticker/status   (either instance answers for every API)\n");
    out.append(" Ctrl-C stops everything.\n");
    out.append("═".repeat(78)).append('\n');
    return out.toString();
  }

  @Override
  public void close() {
    for (ChildProcess ingest : ingests) {
      safely(() -> ingest.stop(30));
    }
    for (ChildProcess api : apis) {
      safely(() -> api.stop(30));
    }
    if (upstream != null) {
      safely(upstream::close);
    }
    // brokers last, in parallel: a controlled shutdown needs the others' controllers up
    List<Thread> stopping = brokers.stream().map(b -> Thread.ofPlatform().start(() -> safely(() -> b.stop(60)))).toList();
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
