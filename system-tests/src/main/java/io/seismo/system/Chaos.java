package io.seismo.system;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scripts/chaos --minutes N [--seed S] [--apis N] [--home DIR] [--base-port N]}: a {@link SeismoCluster} under
 * load ({@link ChaosWorkload}) takes blows ({@link ChaosSchedule}, {@link ChaosBlows}), then the {@link Verifier}
 * checks every API; prints one summary line ending in {@code ALL CHECKS PASSED} (exit 0) or the failures (exit 1).
 */
public final class Chaos {

  private static final Logger log = LoggerFactory.getLogger(Chaos.class);

  public record Options(double minutes, long seed, int apis, Path home, int basePort) {}

  /** The outcome: the summary line, whether it passed, what was done. */
  public record Outcome(String summary, boolean passed, List<ChaosEvent> events, Verifier.Result result) {}

  private final Options options;
  private final Random random;
  private final List<ChaosEvent> events = new CopyOnWriteArrayList<>();

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
    SeismoCluster cluster = SeismoCluster.start(ClusterOptions.defaults(options.home())
        .withBasePort(options.basePort()).withFresh(true));
    Thread hook = new Thread(cluster::close, "seismo-chaos-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      System.out.print(cluster.describe());
      ChaosWorkload workload = new ChaosWorkload(cluster);
      workload.registerDemoApis(options.apis());
      System.out.println("seismo chaos: " + workload.apis().size() + " APIs registered; chaos for " + options.minutes() + " min");
      TimeUnit.SECONDS.sleep(10); // every job running before the first blow

      ChaosBlows blows = new ChaosBlows(cluster, random);
      blowUntil(System.nanoTime() + (long) (options.minutes() * 60e9), new ChaosSchedule(random), blows, workload);

      System.out.println("seismo chaos: chaos over; letting the cluster settle, then stopping the ingest");
      blows.heal();
      TimeUnit.SECONDS.sleep(10);
      for (ChildProcess ingest : cluster.ingests()) {
        ingest.stop(60); // no new raw samples from here on: what is on the raw topics is final
      }
      Verifier.Result result = verifyUntilSettled(cluster, workload);
      String summary = ChaosReport.summary(options.seed(), (System.nanoTime() - began) / 60e9, events,
          blows.midTransactionKills(), blows.topologyKills(), result);
      if (!result.passed()) {
        ChaosReport.failures(options.home(), result);
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

  /** Deals blows until {@code end}, and at least one of each kind however short the run (on a loaded machine one can take minutes). */
  private void blowUntil(long end, ChaosSchedule schedule, ChaosBlows blows, ChaosWorkload workload) throws Exception {
    while (System.nanoTime() < end || events.size() < ChaosEvent.Kind.values().length) {
      long next = schedule.nextAt();
      ChaosEvent.Kind kind = schedule.nextKind();
      ChaosEvent event;
      Instant attempted = Instant.now();
      try {
        event = blows.act(kind);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) { // the blow or the recovery failed (a timeout on a loaded machine): heal and go on
        log.warn("chaos action {} failed: {}", kind, e.toString(), e);
        blows.heal();
        event = new ChaosEvent(kind, "?", attempted, Instant.now(), "did not complete: " + e);
      }
      events.add(event);
      System.out.println("seismo chaos: " + event);
      workload.registerWhileRecovering();
      long wait = (events.size() < ChaosEvent.Kind.values().length ? next : Math.min(next, end)) - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }

  /** Verifies, again every 15 s while it fails for up to 10 minutes: the topology may still be catching up. */
  private Verifier.Result verifyUntilSettled(SeismoCluster cluster, ChaosWorkload workload) throws InterruptedException {
    Verifier verifier = new Verifier(cluster.bootstrapServers(), List.of(cluster.apiUrl(1), cluster.apiUrl(2)));
    Map<String, Verifier.Raw> raw = verifier.readRaw();
    Verifier.Result result;
    long verifyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    while (true) {
      result = verifier.verify(workload.apis(), raw, events, workload.acknowledged());
      if (result.passed() || System.nanoTime() > verifyDeadline) {
        return result;
      }
      log.info("not settled yet ({} failures, first: {}); checking again", result.failures().size(), result.failures().getFirst());
      TimeUnit.SECONDS.sleep(15);
    }
  }
}
