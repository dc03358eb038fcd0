package io.seismo.system;

import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deals one blow of a {@link ChaosEvent.Kind} to the cluster and undoes it, or brings everything back up ({@link #heal()}). */
final class ChaosBlows {

  private static final Logger log = LoggerFactory.getLogger(ChaosBlows.class);

  private final SeismoCluster cluster;
  private final Random random;
  private int midTransactionKills;
  private int topologyKills;

  ChaosBlows(SeismoCluster cluster, Random random) {
    this.cluster = cluster;
    this.random = random;
  }

  /** Topology kills that left a transaction open. */
  int midTransactionKills() {
    return midTransactionKills;
  }

  int topologyKills() {
    return topologyKills;
  }

  /** Deals the blow, waits it out and undoes it; the event ends when the cluster is whole again. */
  ChaosEvent act(ChaosEvent.Kind kind) throws Exception {
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
  void heal() throws Exception {
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

  private static void sleepSeconds(long seconds) throws InterruptedException {
    TimeUnit.SECONDS.sleep(seconds);
  }
}
