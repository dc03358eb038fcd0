package io.seismo.api.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The shipped log4j2.xml in a child JVM (log4j reads its configuration once per JVM): JSON lines by
 * default, human lines with {@code SEISMO_LOG_FORMAT=text}, the level from {@code SEISMO_LOG_LEVEL}; a line's
 * context (SLF4J's MDC: apiId, partition) is a field of its own in JSON, beside the message.
 */
class LogFormatTest {

  /** The child: logs one INFO and one DEBUG line with Seismo's logger. */
  public static final class Probe {
    public static void main(String[] args) {
      Logger log = LoggerFactory.getLogger("io.seismo.probe");
      try (MDC.MDCCloseable api = MDC.putCloseable("apiId", "weather");
           MDC.MDCCloseable partition = MDC.putCloseable("partition", "4")) {
        log.info("probe info");
      }
      log.debug("probe debug");
      LogManager.shutdown();
    }
  }

  private static List<String> run(Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true);
    builder.environment().remove("SEISMO_LOG_FORMAT");
    builder.environment().remove("SEISMO_LOG_LEVEL");
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return out.lines().filter(line -> line.contains("probe")).toList();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void shouldLogJsonLinesWhenNoFormatIsSet() throws Exception {
    List<String> lines = run(Map.of());

    assertThat(lines).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(lines.getFirst());
    assertThat(json.path("message").asText()).isEqualTo("probe info");
    assertThat(json.path("log.level").asText()).isEqualTo("INFO");
    assertThat(json.path("apiId").asText()).isEqualTo("weather");
    assertThat(json.path("partition").asText()).isEqualTo("4");
  }

  @Test
  void shouldLogHumanLinesAtTheAskedLevelWhenTheEnvironmentSaysSo() throws Exception {
    List<String> lines = run(Map.of("SEISMO_LOG_FORMAT", "text", "SEISMO_LOG_LEVEL", "DEBUG"));

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  .*\\{apiId=weather, partition=4\\} probe info");
    assertThat(lines.get(1)).contains("DEBUG").contains("probe debug").doesNotStartWith("{");
  }
}
