package io.seismo.schemas.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Older versions of our record schemas, kept so that values written by older producers stay readable.
 *
 * <p>When a schema changes, copy its previous version to
 * {@code src/main/resources/io/seismo/schemas/history/<Record>-v<N>.avsc} (self-contained: inline the
 * named types it uses) and add the file name to {@code history/index}. Evolve compatibly: new fields
 * carry defaults, removed fields had defaults.
 */
public final class SchemaHistory {

  private static final String ROOT = "/io/seismo/schemas/history/";
  private static final Map<String, List<Schema>> BY_NAME = load();

  private SchemaHistory() {}

  public static List<Schema> olderVersionsOf(String fullName) {
    return BY_NAME.getOrDefault(fullName, List.of());
  }

  private static Map<String, List<Schema>> load() {
    List<Schema> schemas = new ArrayList<>();
    for (String file : read(ROOT + "index").lines().map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList()) {
      schemas.add(new Schema.Parser().parse(read(ROOT + file)));
    }
    return schemas.stream().collect(Collectors.groupingBy(Schema::getFullName, Collectors.toUnmodifiableList()));
  }

  private static String read(String resource) {
    try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema history resource " + resource);
      }
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        return reader.lines().collect(Collectors.joining("\n"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
