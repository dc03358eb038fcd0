package io.seismo.system;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What a {@link SeismoCluster} is started with, and the ports and directories that follow from it (the layout is
 * in docs/cluster-and-chaos.md).
 *
 * @param apis control-api/topology processes
 * @param ingests ingest processes
 * @param tickSeconds the demo upstream's tick
 */
public record ClusterOptions(Path home, int basePort, int apis, int ingests, int tickSeconds, boolean fresh) {

  public static ClusterOptions defaults(Path home) {
    return new ClusterOptions(home, 19092, 2, 2, 5, false);
  }

  public ClusterOptions withHome(Path home) {
    return new ClusterOptions(home, basePort, apis, ingests, tickSeconds, fresh);
  }

  public ClusterOptions withBasePort(int port) {
    return new ClusterOptions(home, port, apis, ingests, tickSeconds, fresh);
  }

  public ClusterOptions withFresh(boolean fresh) {
    return new ClusterOptions(home, basePort, apis, ingests, tickSeconds, fresh);
  }

  /** The client port of broker {@code id} (1-based). */
  int brokerPort(int id) {
    return basePort + id - 1;
  }

  int controllerPort(int id) {
    return basePort + 10 + id - 1;
  }

  String bootstrapServers() {
    return IntStream.rangeClosed(1, SeismoCluster.BROKERS).mapToObj(id -> "localhost:" + brokerPort(id))
        .collect(Collectors.joining(","));
  }

  int apiPort(int i) {
    return basePort + 100 + i - 1;
  }

  String apiUrl(int i) {
    return "http://localhost:" + apiPort(i);
  }

  int ingestPort(int i) {
    return basePort + 110 + i - 1;
  }

  int upstreamPort() {
    return basePort + 120;
  }

  Path brokerDir(int id) {
    return home.resolve("broker-" + id);
  }

  /** The state directory of control API {@code i}'s topology. */
  Path stateDir(int i) {
    return home.resolve("api-" + i).resolve("state");
  }
}
