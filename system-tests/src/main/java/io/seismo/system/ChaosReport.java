package io.seismo.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a chaos run reports: its one summary line, and every failure in a file with the first twenty printed. */
final class ChaosReport {

  private ChaosReport() {}

  static String summary(long seed, double minutes, List<ChaosEvent> events, int midTransactionKills, int topologyKills,
                        Verifier.Result result) {
    Map<ChaosEvent.Kind, Long> byKind = events.stream().collect(Collectors.groupingBy(ChaosEvent::kind, TreeMap::new,
        Collectors.counting()));
    String figures = result.figures().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
    return String.format("CHAOS seed=%d minutes=%.1f events=%d %s topologyKillsMidTransaction=%d/%d %s -> %s",
        seed, minutes, events.size(), byKind, midTransactionKills, topologyKills, figures,
        result.passed() ? "ALL CHECKS PASSED" : result.failures().size() + " FAILURES: "
            + String.join("; ", result.failures().subList(0, Math.min(5, result.failures().size()))));
  }

  /** Writes all failures to {@code home}/chaos-failures.txt and prints the first twenty. */
  static void failures(Path home, Verifier.Result result) throws IOException {
    Path report = home.resolve("chaos-failures.txt");
    Files.write(report, result.failures());
    System.out.println("seismo chaos: all " + result.failures().size() + " failures in " + report);
    result.failures().stream().limit(20).forEach(f -> System.out.println("  FAILED " + f));
  }
}
