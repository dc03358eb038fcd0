package io.seismo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks real HTTP answers against the served OpenAPI 3.1 document: the status must be documented for
 * the operation, the media type must be one it declares, required headers must be there, and a JSON
 * body must be valid against the declared schema. Schemas are evaluated by networknt's
 * json-schema-validator with the OpenAPI 3.1 dialect (JSON Schema 2020-12), straight from the document
 * ({@code $ref}s resolved by the validator, not by us).
 */
final class OpenApiContract {

  private static final String BASE = "https://seismo.test/openapi.json";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode spec;
  private final SchemaRegistry registry;
  private final Set<String> covered = new TreeSet<>();

  OpenApiContract(String yaml) throws IOException {
    this.spec = YAML.readTree(yaml);
    String json = JSON.writeValueAsString(spec);
    this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
        .schemas(Map.of(BASE, json))
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /** "operationId status" of every answer checked so far. */
  Set<String> covered() {
    return covered;
  }

  /** Every operationId of the document. */
  Set<String> operationIds() {
    Set<String> ids = new TreeSet<>();
    spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
      if (operation.getValue().has("operationId")) {
        ids.add(operation.getValue().path("operationId").asText());
      }
    }));
    return ids;
  }

  /**
   * What is wrong with {@code answer} to {@code method pathTemplate} according to the document; empty
   * when it conforms.
   */
  List<String> violations(String method, String pathTemplate, HttpResponse<byte[]> answer) {
    String where = method + " " + pathTemplate + " → " + answer.statusCode();
    JsonNode operation = spec.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      return List.of(where + ": no such operation in the document");
    }
    String status = Integer.toString(answer.statusCode());
    JsonNode responses = operation.path("responses");
    String key = responses.has(status) ? status
        : responses.has(status.charAt(0) + "XX") ? status.charAt(0) + "XX" : responses.has("default") ? "default" : null;
    if (key == null) {
      return List.of(where + ": status not documented (documented: " + names(responses) + ") body "
          + new String(answer.body(), StandardCharsets.UTF_8));
    }
    covered.add(operation.path("operationId").asText() + " " + status);
    String pointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + escape(key);
    return checkResponse(where, pointer, answer, method.equals("HEAD"));
  }

  /** Checks an answer that belongs to no operation (405, Jetty's own errors) against a shared response. */
  List<String> violationsOfComponent(String responseName, HttpResponse<byte[]> answer) {
    return checkResponse("component " + responseName + " ← " + answer.statusCode(),
        "/components/responses/" + escape(responseName), answer, false);
  }

  /** Validates one JSON value (an SSE event's data) against a component schema. */
  List<String> violationsOfSchema(String schemaName, String json) {
    return validate("schema " + schemaName, "/components/schemas/" + escape(schemaName), json);
  }

  private List<String> checkResponse(String where, String pointer, HttpResponse<byte[]> answer, boolean head) {
    JsonNode response = at(pointer);
    if (response.has("$ref")) {
      pointer = response.path("$ref").asText().substring(1);
      response = at(pointer);
    }
    List<String> violations = new ArrayList<>();
    response.path("headers").properties().forEach(header -> {
      if (header.getValue().path("required").asBoolean(false) && answer.headers().firstValue(header.getKey()).isEmpty()) {
        violations.add(where + ": required header " + header.getKey() + " is missing");
      }
    });
    byte[] body = answer.body();
    if (head || body.length == 0) {
      return violations;
    }
    String contentType = answer.headers().firstValue("Content-Type").orElse("");
    String mediaType = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    JsonNode content = response.path("content");
    if (!content.has(mediaType)) {
      violations.add(where + ": media type '" + contentType + "' not documented (documented: " + names(content) + ")");
      return violations;
    }
    if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
      } catch (CharacterCodingException e) {
        violations.add(where + ": body is not UTF-8");
        return violations;
      }
      if (content.path(mediaType).has("schema")) {
        violations.addAll(validate(where, pointer + "/content/" + escape(mediaType) + "/schema", text));
      }
    }
    return violations;
  }

  private List<String> validate(String where, String pointer, String json) {
    if (spec.at(pointer).isMissingNode()) {
      return List.of(where + ": the document has no schema at " + pointer);
    }
    Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer));
    return schema.validate(json, InputFormat.JSON).stream()
        .map(error -> where + ": " + error.getInstanceLocation() + " " + error.getMessage() + " in " + abbreviate(json))
        .toList();
  }

  private JsonNode at(String pointer) {
    return spec.at(pointer);
  }

  private static String abbreviate(String json) {
    return json.length() > 600 ? json.substring(0, 600) + "…" : json;
  }

  private static String names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  /** JSON Pointer escaping of one reference token. */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
