package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.seismo.api.config.ApiConfig;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.topic.TopicInitMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * compose/ cannot run here (no Docker), so its files are checked against the code: every Seismo
 * service starts a main class that exists, every SEISMO_* variable given to a service is one that its
 * configuration reads (and parses: no bad value), every variable of .env.example is read by some
 * service that loads it, and the Kafka image is the Kafka version the code is built with.
 */
class ComposeFilesTest {

  private static final Path COMPOSE = Path.of("..", "compose");

  private static final Map<String, Consumer<Settings>> CONFIGS = Map.of(
      "io.seismo.ingest.IngestMain", IngestConfig::from,
      "io.seismo.api.ApiMain", ApiConfig::from,
      "io.seismo.runtime.topic.TopicInitMain", TopicInitMain.Options::from);

  @Test
  void shouldStartExistingMainsWithSettingsTheirConfigsRead() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.resolve("docker-compose.yml").toFile());
    Map<String, String> envFile = envFile(COMPOSE.resolve(".env.example"));
    Set<String> readFromEnvFile = new HashSet<>();
    int seismoServices = 0;

    for (Map.Entry<String, JsonNode> service : compose.path("services").properties()) {
      JsonNode definition = merged(compose, service.getValue());
      if (!"seismo:local".equals(definition.path("image").asText())) {
        continue;
      }
      seismoServices++;
      String main = definition.path("command").path(0).asText();
      assertThat(Class.forName(main).getMethod("main", String[].class)).as(service.getKey() + " main").isNotNull();
      assertThat(CONFIGS).as("a config check for " + main).containsKey(main);

      boolean loadsEnvFile = definition.path("env_file").asText().equals(".env");
      Map<String, String> environment = new LinkedHashMap<>(loadsEnvFile ? envFile : Map.of());
      definition.path("environment").properties().forEach(variable ->
          environment.put(variable.getKey(), variable.getValue().asText()));
      Settings settings = new Settings(environment);
      CONFIGS.get(main).accept(settings); // throws on a bad value
      Set<String> unread = new HashSet<>(settings.unread());

      definition.path("environment").properties().forEach(variable -> assertThat(unread)
          .as(service.getKey() + " sets " + variable.getKey() + ", which its configuration does not read")
          .doesNotContain(variable.getKey()));
      if (loadsEnvFile) {
        envFile.keySet().stream().filter(name -> !unread.contains(name)).forEach(readFromEnvFile::add);
      }
    }

    assertThat(seismoServices).isGreaterThanOrEqualTo(3);
    assertThat(readFromEnvFile).as(".env.example variables read by some service").containsAll(envFile.keySet());
    assertThat(compose.path("x-kafka").path("image").asText())
        .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
  }

  @Test
  void shouldKeepBrokerLogsOnTheirVolumesAndScrapeWithAToken() throws Exception {
    var yaml = new ObjectMapper(new YAMLFactory());
    JsonNode compose = yaml.readTree(COMPOSE.resolve("docker-compose.yml").toFile());
    String logDirs = compose.path("x-kafka").path("environment").path("KAFKA_LOG_DIRS").asText();
    for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
      assertThat(compose.path("services").path(broker).path("volumes").get(0).asText()).as(broker)
          .isEqualTo(broker + ":" + logDirs);
    }
    JsonNode prometheus = yaml.readTree(COMPOSE.resolve("prometheus.yml").toFile());
    String tokenFile = compose.path("services").path("prometheus").path("configs").get(0).path("target").asText();
    JsonNode apiJob = prometheus.path("scrape_configs").get(0);
    assertThat(apiJob.path("job_name").asText()).isEqualTo("seismo-api");
    assertThat(apiJob.path("authorization").path("credentials_file").asText()).isEqualTo(tokenFile);
    assertThat(Files.readString(COMPOSE.resolve("README.md"))).contains("Apache Kafka " + AppInfoParser.getVersion());
  }

  @Test
  void shouldReportAVariableNoConfigReads() {
    Settings settings = new Settings(Map.of("SEISMO_INGEST_ALLOW_HOST", "localhost", "SEISMO_KAFKA_ACKS", "all",
        "SEISMO_BOOTSTRAP_SERVERS", "kafka:9092"));
    IngestConfig.from(settings);
    assertThat(settings.unread()).containsExactly("SEISMO_INGEST_ALLOW_HOST"); // the typo, not the pass-through
  }

  /**
   * Applies a YAML merge key ({@code <<: *seismo}): Jackson reads the alias as the anchor's name, and
   * this file anchors its templates at {@code x-<name>}.
   */
  private static JsonNode merged(JsonNode compose, JsonNode service) {
    JsonNode merge = service.path("<<");
    if (!merge.isTextual()) {
      return service;
    }
    JsonNode template = compose.path("x-" + merge.asText());
    assertThat(template.isObject()).as("template x-" + merge.asText()).isTrue();
    ObjectNode result = template.deepCopy();
    service.properties().forEach(field -> {
      if (!field.getKey().equals("<<")) {
        result.set(field.getKey(), field.getValue());
      }
    });
    return result;
  }

  /** KEY=VALUE lines, comments and blank lines skipped; an empty value is a placeholder to fill in. */
  private static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      int equals = text.indexOf('=');
      values.put(text.substring(0, equals), text.substring(equals + 1));
    }
    return values;
  }
}
