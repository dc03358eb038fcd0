package io.seismo.launcher;

import io.seismo.runtime.config.Settings;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The Seismo topology in a JVM of its own, for tests that kill it hard (SIGKILL) and start it again:
 * {@code <bootstrap> <applicationId> <stateDir>}; outputs go to {@code <applicationId>.seismo.*}.
 */
public final class CrashableTopologyMain {

  private CrashableTopologyMain() {}

  public static void main(String[] args) throws InterruptedException {
    TopologyService.start(config(args[0], args[1], Path.of(args[2])));
    Thread.currentThread().join(); // until killed
  }

  static TopologyConfig config(String bootstrap, String applicationId, Path stateDir) {
    // a short session timeout: the group notices a killed instance in seconds, not 45 s
    TopologyConfig base = TopologyConfig.from(new Settings(Map.of("SEISMO_BOOTSTRAP_SERVERS", bootstrap,
        "SEISMO_TOPOLOGY_THREADS", "1", "SEISMO_KAFKA_SESSION_TIMEOUT_MS", "6000",
        "SEISMO_KAFKA_HEARTBEAT_INTERVAL_MS", "1000")));
    return base.asReplay(applicationId, stateDir, new TopologyConfig.Replay(applicationId + ".", Optional.empty()));
  }
}
