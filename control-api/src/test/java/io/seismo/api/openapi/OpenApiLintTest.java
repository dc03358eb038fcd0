package io.seismo.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The published OpenAPI document passes Redocly's linter (npm {@code @redocly/cli}) with its
 * {@code recommended} rules: no error. Runs wherever node's {@code npx} is installed (the package comes
 * from the npm registry on first use) and is skipped, saying so, where it is not.
 */
class OpenApiLintTest {

  static final String REDOCLY = "@redocly/cli@2.77.0";
  private static final Path SPEC = Path.of("src/main/resources/openapi/openapi.yaml");

  @Test
  void shouldPassRedoclyRecommendedRulesWhenLinted() throws Exception {
    assumeTrue(onPath("npx"), "npx is not installed: the OpenAPI lint did not run");
    Path output = Files.createTempFile("redocly-lint", ".txt");
    ProcessBuilder lint = new ProcessBuilder(List.of("npx", "--yes", REDOCLY, "lint", "--extends=recommended",
        "--format=codeframe", SPEC.toAbsolutePath().toString()))
        .redirectErrorStream(true).redirectOutput(output.toFile());
    lint.environment().put("REDOCLY_TELEMETRY", "off");
    lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    Process process = lint.start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String report = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    System.out.println(report);

    assertThat(finished).as("redocly lint finished within 5 minutes").isTrue();
    assertThat(process.exitValue()).as(report).isEqualTo(0);
    assertThat(report).contains("Woohoo! Your API description is valid.");
  }

  private static boolean onPath(String command) throws IOException {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
