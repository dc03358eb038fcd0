package io.seismo.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The published OpenAPI document shows what the API takes and answers: every JSON request body and every
 * JSON response of every operation carries an example ({@code example}, {@code examples}, or one on the
 * schema it refers to), and every example in the document is valid against its schema. Schemas are
 * evaluated by networknt's json-schema-validator in the JSON Schema 2020-12 dialect (OpenAPI 3.1 schemas
 * are 2020-12), against the whole document as the base resource so that {@code #/components/schemas/…}
 * references resolve as they do for a client; formats ({@code date-time}, {@code uri}) are asserted.
 */
class OpenApiExamplesTest {

  private static final Path SPEC = Path.of("src/main/resources/openapi/openapi.yaml");
  private static final String BASE = "https://seismo.test/openapi.json";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldCarryAnExampleWhenAnOperationTakesOrAnswersJson() throws IOException {
    JsonNode spec = YAML.readTree(SPEC.toFile());

    List<String> missing = new ArrayList<>();
    forEachOperation(spec, (where, operation) -> {
      JsonNode body = operation.path("requestBody");
      if (!body.isMissingNode()) {
        JsonNode resolved = resolve(spec, body);
        resolved.path("content").properties().forEach(content -> {
          if (isJson(content.getKey()) && !hasExample(spec, content.getValue())) {
            missing.add(where + " requestBody " + content.getKey());
          }
        });
      }
      operation.path("responses").properties().forEach(response -> {
        JsonNode resolved = resolve(spec, response.getValue());
        resolved.path("content").properties().forEach(content -> {
          if (isJson(content.getKey()) && !hasExample(spec, content.getValue())) {
            missing.add(where + " " + response.getKey() + " " + content.getKey());
          }
        });
      });
    });

    assertThat(missing)
        .as("%d JSON request bodies and responses without an example:%n  %s", missing.size(), String.join("\n  ", missing))
        .isEmpty();
  }

  @Test
  void shouldBeValidAgainstTheirSchemasWhenExamplesAreGiven() throws IOException {
    JsonNode spec = YAML.readTree(SPEC.toFile());

    List<String> invalid = violations(spec);

    assertThat(examples(spec)).as("examples found in the document").isNotEmpty();
    assertThat(invalid)
        .as("%d examples not valid against their schemas:%n  %s", invalid.size(), String.join("\n  ", invalid))
        .isEmpty();
  }

  /** The check itself: an example that breaks its schema (a string where an integer is required) is reported. */
  @Test
  void shouldReportAnExampleWhenItBreaksItsSchema() throws IOException {
    JsonNode spec = YAML.readTree(SPEC.toFile());
    JsonNode mediaType = spec.at("/paths/~1apis~1{id}~1status/get/responses/200/content/application~1json");
    assertThat(mediaType.path("example").isObject()).as("GET /apis/{id}/status has an example to break").isTrue();
    ((ObjectNode) mediaType.path("example")).put("samples", "many");

    List<String> invalid = violations(spec);

    assertThat(invalid).singleElement(STRING)
        .contains("/paths/~1apis~1{id}~1status/get/responses/200/content/application~1json/example")
        .contains("samples");
  }

  // ------------------------------------------------------------------------------------------ walking

  private interface OperationVisitor {
    void visit(String where, JsonNode operation);
  }

  private static void forEachOperation(JsonNode spec, OperationVisitor visitor) {
    spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
      if (METHODS.contains(method.getKey())) {
        visitor.visit(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue());
      }
    }));
  }

  /** application/json, application/problem+json and any other {@code …/…+json} or {@code …/json}. */
  private static boolean isJson(String mediaType) {
    String type = mediaType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    return type.endsWith("/json") || type.endsWith("+json");
  }

  /** A Response or Request Body Object, following one {@code $ref} into the components. */
  private static JsonNode resolve(JsonNode spec, JsonNode node) {
    return node.has("$ref") ? spec.at(pointer(node.path("$ref").asText())) : node;
  }

  private static String pointer(String ref) {
    if (!ref.startsWith("#")) {
      throw new IllegalArgumentException("only local references are supported: " + ref);
    }
    return ref.substring(1);
  }

  private static boolean hasExample(JsonNode spec, JsonNode mediaType) {
    if (mediaType.has("example") || !mediaType.path("examples").isEmpty()) {
      return true;
    }
    JsonNode schema = mediaType.path("schema");
    for (int depth = 0; depth < 10 && !schema.isMissingNode(); depth++) { // a schema that is a chain of $refs
      if (schema.has("example") || (schema.path("examples").isArray() && !schema.path("examples").isEmpty())) {
        return true;
      }
      schema = schema.has("$ref") ? spec.at(pointer(schema.path("$ref").asText())) : MissingNode.getInstance();
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------ examples

  /** One example value and the JSON Pointer of the schema it must be valid against. */
  private record Example(String where, String schemaPointer, JsonNode value) {}

  /**
   * Every example of the document: of the media types of requests and responses (in paths and in
   * components), of response headers, and of the component schemas ({@code example} and each of
   * {@code examples}).
   */
  private static List<Example> examples(JsonNode spec) {
    List<Example> examples = new ArrayList<>();
    spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
      if (!METHODS.contains(method.getKey())) {
        return;
      }
      String operation = "/paths/" + escape(path.getKey()) + "/" + method.getKey();
      JsonNode body = method.getValue().path("requestBody");
      if (!body.isMissingNode() && !body.has("$ref")) {
        contentExamples(spec, operation + "/requestBody", body, examples);
      }
      method.getValue().path("responses").properties().forEach(response -> {
        if (!response.getValue().has("$ref")) {
          responseExamples(spec, operation + "/responses/" + escape(response.getKey()), response.getValue(), examples);
        }
      });
    }));
    spec.path("components").path("responses").properties().forEach(response ->
        responseExamples(spec, "/components/responses/" + escape(response.getKey()), response.getValue(), examples));
    spec.path("components").path("requestBodies").properties().forEach(body ->
        contentExamples(spec, "/components/requestBodies/" + escape(body.getKey()), body.getValue(), examples));
    spec.path("components").path("schemas").properties().forEach(schema -> {
      String at = "/components/schemas/" + escape(schema.getKey());
      if (schema.getValue().has("example")) {
        examples.add(new Example(at + "/example", at, schema.getValue().get("example")));
      }
      JsonNode listed = schema.getValue().path("examples");
      for (int i = 0; listed.isArray() && i < listed.size(); i++) {
        examples.add(new Example(at + "/examples/" + i, at, listed.get(i)));
      }
    });
    return examples;
  }

  private static void responseExamples(JsonNode spec, String at, JsonNode response, List<Example> examples) {
    contentExamples(spec, at, response, examples);
    response.path("headers").properties().forEach(header -> {
      JsonNode resolved = resolve(spec, header.getValue());
      if (resolved.has("example") && resolved.has("schema") && !header.getValue().has("$ref")) {
        String headerAt = at + "/headers/" + escape(header.getKey());
        examples.add(new Example(headerAt + "/example", headerAt + "/schema", resolved.get("example")));
      }
    });
  }

  private static void contentExamples(JsonNode spec, String at, JsonNode holder, List<Example> examples) {
    holder.path("content").properties().forEach(content -> {
      String mediaTypeAt = at + "/content/" + escape(content.getKey());
      JsonNode mediaType = content.getValue();
      if (!mediaType.has("schema")) {
        return;
      }
      String schemaAt = mediaTypeAt + "/schema";
      if (mediaType.has("example")) {
        examples.add(new Example(mediaTypeAt + "/example", schemaAt, mediaType.get("example")));
      }
      mediaType.path("examples").properties().forEach(named -> {
        JsonNode example = resolve(spec, named.getValue());
        examples.add(new Example(mediaTypeAt + "/examples/" + escape(named.getKey()), schemaAt,
            example.has("value") ? example.get("value") : null));
      });
    });
  }

  /** What is wrong with the examples of {@code spec}: one line per example, every error of it. */
  private static List<String> violations(JsonNode spec) throws IOException {
    String document = JSON.writeValueAsString(spec);
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012(), builder -> builder
        .schemas(Map.of(BASE, document))
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    List<String> violations = new ArrayList<>();
    for (Example example : examples(spec)) {
      if (example.value() == null) {
        violations.add(example.where() + ": no value (externalValue is not checked; give the value)");
        continue;
      }
      Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + example.schemaPointer()));
      List<String> errors = schema.validate(JSON.writeValueAsString(example.value()), InputFormat.JSON).stream()
          .map(error -> error.getInstanceLocation() + " " + error.getMessage())
          .toList();
      if (!errors.isEmpty()) {
        violations.add(example.where() + ": " + String.join("; ", errors));
      }
    }
    return violations;
  }

  /** JSON Pointer escaping of one reference token. */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
