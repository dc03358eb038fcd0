package io.seismo.system;

import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scripts/chaos --minutes N [--seed S] [--apis N] [--home DIR] [--base-port N]}: the cluster of
 * {@link SeismoCluster} under load, hit every 15–30 s by one of {@link ChaosEvent.Kind} (in a shuffled
 * order that repeats, so a short run still gets every kind), each undone before the next; then the
 * ingest processes are stopped, the topology catches up, and the {@link Verifier} checks every API.
 * Prints one summary line ending in {@code ALL CHECKS PASSED} (exit 0) or the failures (exit 1).
 */
public final class Chaos {

  private static final Logger log = LoggerFactory.getLogger(Chaos.class);

  public record Options(double minutes, long seed, int apis, Path home, int basePort) {}

  /** The outcome: the summary line, whether it passed, what was done. */
  public record Outcome(String summary, boolean passed, List<ChaosEvent> events, Verifier.Result result) {}

  private final Options options;
  private final Random random;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<ChaosEvent> events = new CopyOnWriteArrayList<>();
  private final Map<String, Verifier.Api> apis = new ConcurrentHashMap<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private int midTransactionKills;
  private int topologyKills;
  private SeismoCluster cluster;

  public Chaos(Options options) {
    this.options = options;
    this.random = new Random(options.seed());
  }

  public static void main(String[] args) throws Exception {
    Options options = parse(args);
    Outcome outcome = new Chaos(options).run();
    System.out.println(outcome.summary());
    System.exit(outcome.passed() ? 0 : 1);
  }

  static Options parse(String[] args) {
    double minutes = -1;
    long seed = System.currentTimeMillis();
    int apis = 200;
    Path home = Path.of("target", "seismo-chaos");
    int basePort = 39092;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(require(value, args[i++]));
        case "--seed" -> seed = Long.parseLong(require(value, args[i++]));
        case "--apis" -> apis = Integer.parseInt(require(value, args[i++]));
        case "--home" -> home = Path.of(require(value, args[i++]));
        case "--base-port" -> basePort = Integer.parseInt(require(value, args[i++]));
        default -> usage();
      }
    }
    if (minutes <= 0) {
      usage();
    }
    return new Options(minutes, seed, apis, home, basePort);
  }

  private static String require(String value, String name) {
    if (value == null) {
      usage();
    }
    return value;
  }

  private static void usage() {
    System.err.println("usage: scripts/chaos --minutes N [--seed S] [--apis N (200)] [--home DIR] [--base-port N (39092)]");
    System.exit(2);
  }

  /** Runs it all; the cluster is stopped before this returns, whatever happens. */
  public Outcome run() throws Exception {
    long began = System.nanoTime();
    log.info("chaos seed={} minutes={} apis={}", options.seed(), options.minutes(), options.apis());
    System.out.println("seismo chaos: seed " + options.seed() + ", " + options.minutes() + " min, " + options.apis()
        + " APIs; starting the cluster in " + options.home());
    cluster = SeismoCluster.start(ClusterOptions.defaults(options.home())
        .withBasePort(options.basePort()).withFresh(true));
    Thread hook = new Thread(cluster::close, "seismo-chaos-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      System.out.print(cluster.describe());
      registerDemoApis(options.apis());
      System.out.println("seismo chaos: " + apis.size() + " APIs registered; chaos for " + options.minutes() + " min");
      TimeUnit.SECONDS.sleep(10); // every job running before the first blow

      long end = System.nanoTime() + (long) (options.minutes() * 60e9);
      List<ChaosEvent.Kind> deck = new ArrayList<>();
      int extra = 0;
      // at least one blow of each kind, however short the run (on a loaded machine one blow can take minutes)
      while (System.nanoTime() < end || events.size() < ChaosEvent.Kind.values().length) {
        long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(15 + random.nextInt(16));
        if (deck.isEmpty()) {
          deck.addAll(List.of(ChaosEvent.Kind.values()));
          Collections.shuffle(deck, random);
        }
        ChaosEvent.Kind kind = deck.removeFirst();
        ChaosEvent event;
        Instant attempted = Instant.now();
        try {
          event = act(kind);
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) { // the blow or the recovery failed (a timeout on a loaded machine): heal and go on
          log.warn("chaos action {} failed: {}", kind, e.toString(), e);
          heal();
          event = new ChaosEvent(kind, "?", attempted, Instant.now(), "did not complete: " + e);
        }
        events.add(event);
        System.out.println("seismo chaos: " + event);
        for (int i = 0; i < 3; i++) { // registrations while the cluster recovers: none may be lost
          register("chaos-late-" + (extra++), extra % 2 == 0 ? "/ticker" : "/append", false, 3000);
        }
        long wait = (events.size() < ChaosEvent.Kind.values().length ? next : Math.min(next, end)) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }

      System.out.println("seismo chaos: chaos over; letting the cluster settle, then stopping the ingest");
      heal();
      TimeUnit.SECONDS.sleep(10);
      for (ChildProcess ingest : cluster.ingests()) {
        ingest.stop(60); // no new raw samples from here on: what is on the raw topics is final
      }
      Instant ingestStopped = Instant.now();
      Verifier verifier = new Verifier(cluster.bootstrapServers(), List.of(cluster.apiUrl(1), cluster.apiUrl(2)));
      Map<String, Verifier.Raw> raw = verifier.readRaw();
      Verifier.Result result;
      long verifyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      while (true) { // the topology may still be catching up: retry until it passes or the deadline
        result = verifier.verify(apis.values(), raw, events, acknowledged);
        if (result.passed() || System.nanoTime() > verifyDeadline) {
          break;
        }
        log.info("not settled yet ({} failures, first: {}); checking again", result.failures().size(), result.failures().getFirst());
        TimeUnit.SECONDS.sleep(15);
      }
      String summary = summary(result, ingestStopped, (System.nanoTime() - began) / 60e9);
      if (!result.passed()) {
        Path report = options.home().resolve("chaos-failures.txt");
        Files.write(report, result.failures());
        System.out.println("seismo chaos: all " + result.failures().size() + " failures in " + report);
        result.failures().stream().limit(20).forEach(f -> System.out.println("  FAILED " + f));
      }
      return new Outcome(summary, result.passed(), List.copyOf(events), result);
    } finally {
      cluster.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private String summary(Verifier.Result result, Instant ingestStopped, double minutes) {
    Map<ChaosEvent.Kind, Long> byKind = events.stream().collect(Collectors.groupingBy(ChaosEvent::kind, TreeMap::new,
        Collectors.counting()));
    String figures = result.figures().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
    return String.format("CHAOS seed=%d minutes=%.1f events=%d %s topologyKillsMidTransaction=%d/%d %s -> %s",
        options.seed(), minutes, events.size(), byKind, midTransactionKills, topologyKills, figures,
        result.passed() ? "ALL CHECKS PASSED" : result.failures().size() + " FAILURES: "
            + String.join("; ", result.failures().subList(0, Math.min(5, result.failures().size()))));
  }

  // ---- the blows ----------------------------------------------------------------------------------

  private ChaosEvent act(ChaosEvent.Kind kind) throws Exception {
    Instant start = Instant.now();
    return switch (kind) {
      case KILL_LEADER_BROKER -> {
        int partition = random.nextInt(SeismoCluster.PARTITIONS);
        int leader = cluster.leaderOf(Topics.RAW_POLLS.name(), partition).orElse(1 + random.nextInt(SeismoCluster.BROKERS));
        ChildProcess broker = cluster.broker(leader);
        broker.kill();
        Instant killed = Instant.now();
        sleepSeconds(8 + random.nextInt(8));
        cluster.restartBroker(leader);
        boolean inSync = cluster.awaitFullIsr(Duration.ofSeconds(180));
        yield new ChaosEvent(kind, broker.name(), start, Instant.now(), "leader of " + Topics.RAW_POLLS.name() + "-" + partition
            + ", down " + Duration.between(killed, Instant.now()).toSeconds() + " s" + (inSync ? "" : ", replicas NOT back in sync"));
      }
      case KILL_INGEST -> {
        ChildProcess ingest = cluster.ingests().get(random.nextInt(cluster.ingests().size()));
        ingest.kill();
        sleepSeconds(5 + random.nextInt(10));
        ingest.start();
        sleepSeconds(SeismoCluster.SESSION_TIMEOUT.toSeconds()); // rejoins; the group rebalances
        yield new ChaosEvent(kind, ingest.name(), start, Instant.now(), "");
      }
      case KILL_TOPOLOGY -> {
        int i = 1 + random.nextInt(cluster.apis().size());
        ChildProcess api = cluster.apis().get(i - 1);
        String processId = processId(cluster.stateDir(i));
        api.kill(); // the load never stops: its transaction of the last ≤ 500 ms is open
        boolean open = transactionLeftOpen(processId);
        topologyKills++;
        if (open) {
          midTransactionKills++;
        }
        sleepSeconds(5 + random.nextInt(10));
        api.start();
        cluster.awaitReady(i, Duration.ofSeconds(900));
        yield new ChaosEvent(kind, api.name(), start, Instant.now(), open ? "killed with a transaction open"
            : "no open transaction seen after the kill");
      }
      case PAUSE -> {
        List<ChildProcess> services = new ArrayList<>(cluster.ingests());
        services.addAll(cluster.apis());
        ChildProcess target = services.get(random.nextInt(services.size()));
        target.pause();
        sleepSeconds(SeismoCluster.SESSION_TIMEOUT.toSeconds() + 5); // past its session timeout: its group moves on
        target.resume();
        sleepSeconds(SeismoCluster.SESSION_TIMEOUT.toSeconds()); // it finds out it was fenced and rejoins
        yield new ChaosEvent(kind, target.name(), start, Instant.now(), "SIGSTOP for " + (SeismoCluster.SESSION_TIMEOUT.toSeconds() + 5)
            + " s");
      }
      case RESTART_BROKER -> {
        int id = 1 + random.nextInt(SeismoCluster.BROKERS);
        ChildProcess broker = cluster.broker(id);
        broker.stop(120);
        cluster.restartBroker(id);
        boolean inSync = cluster.awaitFullIsr(Duration.ofSeconds(180));
        yield new ChaosEvent(kind, broker.name(), start, Instant.now(), inSync ? "controlled shutdown" : "replicas NOT back in sync");
      }
    };
  }

  /** Everything up again: paused processes resumed, dead ones started, replicas in sync, APIs ready. */
  private void heal() throws Exception {
    for (ChildProcess process : all()) {
      if (!process.isAlive()) {
        process.start();
      }
    }
    cluster.awaitBrokers(SeismoCluster.BROKERS, Duration.ofSeconds(300));
    cluster.awaitFullIsr(Duration.ofSeconds(180));
    for (int i = 1; i <= cluster.apis().size(); i++) {
      cluster.awaitReady(i, Duration.ofSeconds(900));
    }
  }

  private List<ChildProcess> all() {
    List<ChildProcess> all = new ArrayList<>(cluster.brokers());
    all.addAll(cluster.apis());
    all.addAll(cluster.ingests());
    return all;
  }

  /** The Kafka Streams process id kept in a topology's state directory (its transactional ids start with it). */
  private static String processId(Path stateDir) {
    Path file = stateDir.resolve(SeismoCluster.TOPOLOGY_APP_ID).resolve("kafka-streams-process-metadata");
    try {
      String text = Files.readString(file);
      Matcher m = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
          .matcher(text);
      return m.find() ? m.group() : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether the coordinator holds an open transaction of the killed topology (all of the app's if its id is unknown). */
  private boolean transactionLeftOpen(String processId) {
    String prefix = SeismoCluster.TOPOLOGY_APP_ID + "-" + processId;
    try (Admin admin = cluster.admin()) {
      return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
          .all().get(30, TimeUnit.SECONDS).stream().anyMatch(listing -> listing.transactionalId().startsWith(prefix));
    } catch (Exception e) {
      log.warn("cannot list transactions: {}", e.toString());
      return false;
    }
  }

  // ---- the load -----------------------------------------------------------------------------------

  /**
   * Registers {@code count} demo APIs, in tens: 4 /ticker (a new price every tick), 2 /static (never
   * changes, 304s), 2 /append (an array growing every tick), 1 /flaky (503s and slow answers) polled
   * every 2–5 s, and 1 /stream (SSE: a snapshot, then a patch every tick).
   */
  private void registerDemoApis(int count) throws InterruptedException {
    String[] paths = {"/ticker", "/ticker", "/ticker", "/ticker", "/static", "/static", "/append", "/append", "/flaky", "/stream"};
    for (int i = 0; i < count; i++) {
      String path = paths[i % paths.length];
      boolean sse = path.equals("/stream");
      register(String.format("chaos-%s-%03d", path.substring(1), i), path, sse, 2000 + (i % 4) * 1000L);
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

  private static void sleepSeconds(long seconds) throws InterruptedException {
    TimeUnit.SECONDS.sleep(seconds);
  }
}
