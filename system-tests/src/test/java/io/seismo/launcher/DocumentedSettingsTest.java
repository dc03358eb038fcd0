package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.api.config.ApiConfig;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.topology.config.TopologyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The values the documentation gives for each setting — the README's configuration table and, where a
 * config record's Javadoc has one, its {@code <pre>} table — are values the service accepts, and they are
 * its defaults: setting every documented value explicitly yields the same config as setting none.
 */
class DocumentedSettingsTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern NAME = Pattern.compile("SEISMO_[A-Z0-9_]+");
  private static final Map<String, String> REQUIRED = Map.of("SEISMO_API_WRITE_TOKENS", "w");

  @Test
  void shouldAcceptTheDocumentedValuesAsItsDefaultsWhenTheIngestConfigReadsThem() throws IOException {
    Map<String, String> documented = documented(service -> service.equals("ingest") || service.equals("all"),
        "ingest-connector/src/main/java/io/seismo/ingest/config/IngestConfig.java");
    assertThat(documented).containsEntry("SEISMO_INGEST_OUTAGE_BUFFER", "64m")
        .containsEntry("SEISMO_INGEST_CONNECT_TIMEOUT", "5s").containsEntry("SEISMO_NOTIFY_BACKOFF", "1s");

    assertDefaults(documented, IngestConfig::from);
  }

  @Test
  void shouldAcceptTheDocumentedValuesAsItsDefaultsWhenTheApiConfigReadsThem() throws IOException {
    Map<String, String> documented = documented(service -> service.equals("control-api") || service.equals("all"),
        "control-api/src/main/java/io/seismo/api/config/ApiConfig.java");
    assertThat(documented).containsKey("SEISMO_API_MIN_POLL_INTERVAL").containsKey("SEISMO_API_MAX_REQUEST_BYTES");

    assertDefaults(documented, ApiConfig::from);
  }

  @Test
  void shouldAcceptTheDocumentedValuesAsItsDefaultsWhenTheTopologyConfigReadsThem() throws IOException {
    Map<String, String> documented = new LinkedHashMap<>(documented(service -> false,
        "stream-topology/src/main/java/io/seismo/topology/config/TopologyConfig.java"));
    readmeTable(service -> true).forEach((name, value) -> {
      if (name.startsWith("SEISMO_TOPOLOGY_") || name.equals("SEISMO_BOOTSTRAP_SERVERS")) {
        documented.put(name, value);
      }
    });
    assertThat(documented).containsEntry("SEISMO_TOPOLOGY_COMMIT_INTERVAL", "500ms");

    assertDefaults(documented, TopologyConfig::from);
  }

  private static <T> void assertDefaults(Map<String, String> documented, Function<Settings, T> config) {
    Map<String, String> explicit = new LinkedHashMap<>(documented);
    explicit.putAll(REQUIRED);
    Settings settings = new Settings(explicit);

    T fromDocumented = config.apply(settings); // throws on a documented value the service refuses

    assertThat(settings.unread()).as("documented variables the config does not read")
        .filteredOn(documented::containsKey).isEmpty();
    assertThat(fromDocumented).as("the config from the documented values").isEqualTo(config.apply(new Settings(REQUIRED)));
  }

  /** README rows of the service, with the config's Javadoc values (the README wins where both give one). */
  private static Map<String, String> documented(Predicate<String> service, String configSource) throws IOException {
    Map<String, String> values = new LinkedHashMap<>(javadocTable(ROOT.resolve(configSource)));
    values.putAll(readmeTable(service));
    return values;
  }

  /** {@code | `NAME` / `_OTHER` | `v1` / `v2` | service | meaning |}: only back-quoted values are values. */
  private static Map<String, String> readmeTable(Predicate<String> service) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
      String[] cells = line.split("\\|");
      if (cells.length < 5 || !cells[1].strip().startsWith("`SEISMO_") || !service.test(cells[3].strip())) {
        continue;
      }
      String[] names = cells[1].split("/");
      String[] defaults = cells[2].split(" / ");
      String first = unquote(names[0]);
      String prefix = first.substring(0, first.indexOf('_', "SEISMO_".length()));
      for (int i = 0; i < names.length && i < defaults.length; i++) {
        String name = unquote(names[i]);
        name = name.startsWith("_") ? prefix + name : name;
        String value = defaults[i].strip();
        if (NAME.matcher(name).matches() && value.length() > 2 && value.startsWith("`") && value.endsWith("`")
            && !value.contains("$")) {
          values.put(name, value.substring(1, value.length() - 1));
        }
      }
    }
    return values;
  }

  /** {@code * NAME  meaning  (default; remark)} lines of the Javadoc's pre block (if any), continuation lines joined. */
  private static Map<String, String> javadocTable(Path source) throws IOException {
    String text = Files.readString(source);
    if (!text.contains("<pre>")) {
      return Map.of();
    }
    String pre = text.substring(text.indexOf("<pre>") + 5, text.indexOf("</pre>"));
    Map<String, String> entries = new LinkedHashMap<>();
    String current = null;
    for (String line : pre.lines().map(l -> l.replaceFirst("^\\s*\\*", "").strip()).toList()) {
      Matcher name = Pattern.compile("^(SEISMO_[A-Z0-9_]+)\\s").matcher(line + " ");
      if (name.find()) {
        current = name.group(1);
        entries.put(current, line);
      } else if (current != null) {
        entries.merge(current, " " + line, String::concat);
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    Pattern lastParens = Pattern.compile("\\(([^()]*)\\)\\s*$");
    entries.forEach((name, entry) -> {
      Matcher value = lastParens.matcher(entry);
      if (value.find()) {
        String text2 = value.group(1).split(";|: ")[0].strip();
        if (!text2.isEmpty() && !text2.contains(" ") && !List.of("none", "required", "empty").contains(text2)
            && !text2.contains("tmpdir")) {
          values.put(name, text2);
        }
      }
    });
    return values;
  }

  private static String unquote(String cell) {
    return cell.strip().replace("`", "");
  }
}
