package io.seismo.topology;

import io.seismo.runtime.config.ServiceRunner;
import io.seismo.topology.config.TopologyConfig;

/**
 * Runs the topology without the query API, for re-analysis of raw history under another application id
 * (replay). The control API embeds the same topology for live analysis: its instances own the stores
 * they answer queries from, so do not run this under the control API's application id.
 */
public final class TopologyMain {

  private TopologyMain() {}

  public static void main(String[] args) throws InterruptedException {
    ServiceRunner.run("seismo-topology", settings -> TopologyService.start(TopologyConfig.from(settings)));
  }
}
