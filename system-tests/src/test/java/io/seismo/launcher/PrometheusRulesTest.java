package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code compose/prometheus/alerts.yml} with Prometheus's own {@code promtool}: the rules parse
 * ({@code check rules}), and each fires on the series it is about and only then ({@code test rules} with
 * {@code alerts.test.yml}). Skipped where promtool is not installed (Debian: {@code apt-get install
 * prometheus}); {@code SEISMO_PROMTOOL} or {@code -Dseismo.promtool} names another binary.
 */
class PrometheusRulesTest {

  private static final Path RULES_DIR = Path.of("..", "compose", "prometheus");

  private static Path promtool() {
    String configured = System.getProperty("seismo.promtool", System.getenv().getOrDefault("SEISMO_PROMTOOL", "/usr/bin/promtool"));
    return Path.of(configured);
  }

  @Test
  void shouldPassPromtoolsCheckAndUnitTestsWhenTheRulesAreShipped() throws Exception {
    Path promtool = promtool();
    assumeTrue(Files.isExecutable(promtool), "no promtool at " + promtool + ": skipped (apt-get install prometheus)");

    String check = run(promtool.toString(), "check", "rules", "alerts.yml");
    assertThat(check).contains("SUCCESS: 8 rules found");
    String test = run(promtool.toString(), "test", "rules", "alerts.test.yml");
    assertThat(test).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void shouldMountTheRulesWhenComposeStartsPrometheus() throws IOException {
    assertThat(Files.readString(RULES_DIR.resolveSibling("prometheus.yml"))).contains("rule_files: [/etc/prometheus/alerts.yml]");
    assertThat(Files.readString(RULES_DIR.resolveSibling("docker-compose.yml")))
        .contains("./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(List.of(command)).directory(RULES_DIR.toFile()).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      return output;
    } finally {
      process.destroyForcibly();
    }
  }
}
