package io.seismo.topology;

import io.seismo.schemas.config.Settings;
import io.seismo.topology.config.TopologyConfig;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the topology without the query API, for re-analysis of raw history under another application id
 * (replay). The control API embeds the same topology for live analysis: its instances own the stores
 * they answer queries from, so do not run this under the control API's application id.
 */
public final class TopologyMain {

  private TopologyMain() {}

  public static void main(String[] args) throws InterruptedException {
    TopologyService service;
    try {
      service = TopologyService.start(TopologyConfig.from(Settings.fromEnvironment()));
    } catch (Settings.ConfigException e) {
      System.err.println("seismo: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      done.countDown();
    }, "seismo-topology-shutdown"));
    done.await();
  }
}
