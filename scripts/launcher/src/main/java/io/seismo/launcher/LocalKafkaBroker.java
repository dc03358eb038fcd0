package io.seismo.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker + controller) in a child JVM started from the
 * kafka_2.13 jar on this JVM's classpath, with its log in a directory that survives restarts. Used by
 * the quickstart; formats the directory on first start only.
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);

  private final Process process;
  private final int port;

  private LocalKafkaBroker(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static LocalKafkaBroker start(Path dataDir, int port, int controllerPort) throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path logDir = dataDir.resolve("log");
    Path config = dataDir.resolve("server.properties");
    Files.writeString(config, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@localhost:" + controllerPort,
        "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
        "advertised.listeners=PLAINTEXT://localhost:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + logDir.toAbsolutePath(),
        "num.partitions=6",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "log.retention.check.interval.ms=60000",
        ""), StandardCharsets.UTF_8);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
          dataDir.resolve("format.log"));
    }
    Process process = java(List.of("kafka.Kafka", config.toString()), dataDir.resolve("broker.log"));
    LocalKafkaBroker broker = new LocalKafkaBroker(process, port);
    broker.awaitListening(Duration.ofMinutes(3)); // a restart after kill -9 recovers its logs first; slow CI machines need minutes
    log.info("kafka broker ready bootstrap=localhost:{} dataDir={}", port, dataDir.toAbsolutePath());
    return broker;
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  private void awaitListening(Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the Kafka broker exited with code " + process.exitValue() + "; see its broker.log");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 200);
        return;
      } catch (IOException notYet) {
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    throw new IOException("the Kafka broker did not listen on port " + port + " within " + timeout);
  }

  private static void run(List<String> mainAndArgs, Path logFile) throws IOException, InterruptedException {
    Process format = java(mainAndArgs, logFile);
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IOException("formatting the Kafka log directory failed; see " + logFile);
    }
  }

  private static Process java(List<String> mainAndArgs, Path logFile) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "-Dlog4j2.configurationFile=log4j2.xml",
        "-cp", System.getProperty("java.class.path")));
    command.addAll(mainAndArgs);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
  }

  /** The broker's process id, for watching its resources from outside. */
  public long pid() {
    return process.pid();
  }

  /** Kills the broker process (SIGKILL), as a crash or a pulled plug would: no controlled shutdown. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("kafka broker killed");
  }

  /** Stops the broker with a controlled shutdown (SIGTERM), forcibly after 30 s (Kafka's log recovery copes). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      log.info("kafka broker stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
