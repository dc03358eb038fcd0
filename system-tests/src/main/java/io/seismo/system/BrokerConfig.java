package io.seismo.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A combined KRaft node's server.properties, and the formatting of its log directory. */
final class BrokerConfig {

  private BrokerConfig() {}

  static String serverProperties(ClusterOptions options, int id, String voters, Path logDir) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=" + id,
        "controller.quorum.voters=" + voters,
        "listeners=PLAINTEXT://localhost:" + options.brokerPort(id) + ",CONTROLLER://localhost:" + options.controllerPort(id),
        "advertised.listeners=PLAINTEXT://localhost:" + options.brokerPort(id),
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + logDir.toAbsolutePath(),
        "num.partitions=" + SeismoCluster.PARTITIONS,
        // every topic, Kafka Streams' internal ones included, has three replicas and takes a write once two have it
        "default.replication.factor=" + SeismoCluster.REPLICATION,
        "min.insync.replicas=2",
        "offsets.topic.replication.factor=" + SeismoCluster.REPLICATION,
        "transaction.state.log.replication.factor=" + SeismoCluster.REPLICATION,
        "transaction.state.log.min.isr=2",
        "share.coordinator.state.topic.replication.factor=" + SeismoCluster.REPLICATION,
        "share.coordinator.state.topic.min.isr=2",
        "unclean.leader.election.enable=false",
        "group.initial.rebalance.delay.ms=0",
        // the ingest's group (consumer protocol, KIP-848): its session timeout is set here, not by the client
        "group.consumer.min.session.timeout.ms=1000",
        "group.consumer.session.timeout.ms=" + SeismoCluster.SESSION_TIMEOUT.toMillis(),
        "group.consumer.min.heartbeat.interval.ms=500",
        "group.consumer.heartbeat.interval.ms=2000",
        "auto.create.topics.enable=false",
        "num.io.threads=4",
        "num.network.threads=2",
        "num.replica.fetchers=1",
        "log.retention.check.interval.ms=60000",
        "");
  }

  /**
   * Formats a log directory with Kafka's own StorageTool, in this JVM: a JVM of its own per broker took
   * two minutes on a loaded 2-core machine, for what takes a second here.
   */
  static void format(String clusterId, Path config, Path logFile) throws IOException {
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
}
