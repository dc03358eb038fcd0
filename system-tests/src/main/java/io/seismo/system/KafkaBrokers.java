package io.seismo.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;

/** The broker processes: three combined KRaft nodes, each configured, formatted once, started and restarted. */
final class KafkaBrokers {

  private final ClusterOptions options;
  private final List<ChildProcess> brokers = new ArrayList<>();

  KafkaBrokers(ClusterOptions options) {
    this.options = options;
  }

  /** Writes each node's configuration, formats its log directory the first time, starts them all and waits until each listens. */
  void start() throws IOException, InterruptedException {
    Path clusterIdFile = options.home().resolve("cluster-id");
    if (!Files.exists(clusterIdFile)) {
      Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
    }
    String clusterId = Files.readString(clusterIdFile).strip();
    String voters = IntStream.rangeClosed(1, SeismoCluster.BROKERS)
        .mapToObj(id -> id + "@localhost:" + options.controllerPort(id)).collect(Collectors.joining(","));
    for (int id = 1; id <= SeismoCluster.BROKERS; id++) {
      Path dir = options.brokerDir(id);
      Files.createDirectories(dir);
      Path config = dir.resolve("server.properties");
      Files.writeString(config, BrokerConfig.serverProperties(options, id, voters, dir.resolve("log")), StandardCharsets.UTF_8);
      if (!Files.exists(dir.resolve("log").resolve("meta.properties"))) {
        BrokerConfig.format(clusterId, config, dir.resolve("format.log"));
      }
      brokers.add(new ChildProcess("broker-" + id, "kafka.Kafka", List.of(config.toString()), Map.of(), "512m",
          dir.resolve("broker.log")));
    }
    for (ChildProcess broker : brokers) {
      broker.start();
    }
    for (int id = 1; id <= SeismoCluster.BROKERS; id++) {
      awaitPort(brokers.get(id - 1), options.brokerPort(id), Duration.ofSeconds(900));
    }
  }

  /** Broker {@code id} (1-based). */
  ChildProcess get(int id) {
    return brokers.get(id - 1);
  }

  List<ChildProcess> list() {
    return List.copyOf(brokers);
  }

  /** Starts a broker again and waits until it listens. */
  void restart(int id) throws IOException, InterruptedException {
    get(id).start();
    awaitPort(get(id), options.brokerPort(id), Duration.ofSeconds(900));
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
}
