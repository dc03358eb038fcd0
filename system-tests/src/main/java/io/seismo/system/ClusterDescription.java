package io.seismo.system;

import io.seismo.launcher.DemoUpstream;
import java.util.List;

/** Where everything of a {@link SeismoCluster} is, for people: processes, URLs, logs, the write token, a curl to try. */
final class ClusterDescription {

  private ClusterDescription() {}

  static String of(ClusterOptions options, List<ChildProcess> brokers, List<ChildProcess> apis, List<ChildProcess> ingests,
                   DemoUpstream upstream, String writeToken) {
    StringBuilder out = new StringBuilder();
    out.append("═".repeat(78)).append('\n');
    out.append(" Seismo cluster (3 combined KRaft nodes, RF=3, min.insync.replicas=2)   data: ").append(options.home()).append('\n');
    out.append("─".repeat(78)).append('\n');
    out.append(" Kafka bootstrap   ").append(options.bootstrapServers()).append('\n');
    for (ChildProcess broker : brokers) {
      out.append(String.format(" %-17s %s  log %s%n", broker.name(), "pid " + broker.pid(), broker.logFile()));
    }
    for (int i = 1; i <= apis.size(); i++) {
      ChildProcess api = apis.get(i - 1);
      out.append(String.format(" %-17s %s  pid %d  (dashboard %s/dashboard/, state %s)%n", api.name(), options.apiUrl(i),
          api.pid(), options.apiUrl(i), options.stateDir(i)));
    }
    for (int i = 1; i <= ingests.size(); i++) {
      ChildProcess ingest = ingests.get(i - 1);
      out.append(String.format(" %-17s http://localhost:%d/metrics  pid %d%n", ingest.name(), options.ingestPort(i),
          ingest.pid()));
    }
    out.append(" Demo upstream     ").append(upstream == null ? "-" : upstream.url("")).append("  (/static /ticker /append /flaky /large /stream)\n");
    out.append(" Write token       ").append(writeToken).append('\n');
    out.append(" Logs              ").append(options.home()).append("/<process>/<process>.log\n");
    out.append("─".repeat(78)).append('\n');
    out.append(" Try: curl -s -X POST ").append(options.apiUrl(1)).append("/apis -H 'Authorization: Bearer ").append(writeToken)
        .append("' -H 'Content-Type: application/json' \\\n        -d '{\"apiId\":\"demo-ticker\",\"url\":\"")
        .append(upstream == null ? "" : upstream.url("/ticker")).append("\",\"pollIntervalMs\":2000}'\n");
    out.append("      curl -s ").append(options.apiUrl(2)).append("/apis/demo-ticker/status   (either instance answers for every API)\n");
    out.append(" Ctrl-C stops everything.\n");
    out.append("═".repeat(78)).append('\n');
    return out.toString();
  }
}
