package io.seismo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The file of {@code seismo apply} and {@code seismo export}: {@code apis:}, a list of registrations in
 * the fields of the REST API ({@code POST /apis} bodies), as YAML or JSON. Only its shape is checked
 * here (an object with a list of objects, each with a distinct apiId); every field is validated by the
 * control API, whose problem detail the CLI prints.
 */
final class ApisFile {

  /** Fields the service sets: exported never, dropped when applied (a GET body may be applied as it is). */
  static final Set<String> SERVER_FIELDS = Set.of("version", "createdAt", "updatedAt", "status");

  static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build()).enable(SerializationFeature.INDENT_OUTPUT);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ApisFile() {}

  /** The registrations of a file ({@code -}: standard input), in file order, without server fields. */
  static List<ObjectNode> read(String file, InputStream stdin) {
    JsonNode root = readTree(file, stdin);
    ArrayNode list;
    if (root instanceof ArrayNode bare) {
      list = bare; // a bare list of registrations, as the dashboard's import also takes
    } else if (root == null || root.isMissingNode() || !root.isObject() || !root.path("apis").isArray()) {
      throw new CliException(file + " must be an object with a list 'apis' of registrations (or that list alone)");
    } else {
      List<String> unknown = new ArrayList<>();
      root.fieldNames().forEachRemaining(name -> {
        if (!name.equals("apis")) {
          unknown.add(name);
        }
      });
      if (!unknown.isEmpty()) {
        throw new CliException(file + ": unknown top-level field '" + unknown.getFirst() + "' (only 'apis')");
      }
      list = (ArrayNode) root.path("apis");
    }
    List<ObjectNode> apis = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isObject() || !item.path("apiId").isTextual()) {
        throw new CliException(file + ": apis[" + i + "] must be an object with a string apiId");
      }
      Integer first = seen.putIfAbsent(item.path("apiId").asText(), i);
      if (first != null) {
        throw new CliException(file + ": apis[" + i + "] has the apiId of apis[" + first + "] ('"
            + item.path("apiId").asText() + "'); each apiId once");
      }
      ObjectNode registration = ((ObjectNode) item).deepCopy();
      registration.remove(SERVER_FIELDS);
      apis.add(registration);
    }
    return apis;
  }

  /**
   * One registration, the body of a PUT ({@code seismo update -f}), as JSON or YAML ({@code -}: standard
   * input); sent as it is, for the control API to validate.
   */
  static ObjectNode readRegistration(String file, InputStream stdin) {
    JsonNode root = readTree(file, stdin);
    if (!(root instanceof ObjectNode registration)) {
      throw new CliException(file + " must be one registration (an object with url, pollIntervalMs, …)");
    }
    return registration;
  }

  /** A JSON file ({@code .json}) or else YAML; {@code -}: YAML (or JSON) from standard input. */
  private static JsonNode readTree(String file, InputStream stdin) {
    boolean json = file.toLowerCase(Locale.ROOT).endsWith(".json");
    try {
      return file.equals("-") ? YAML.readTree(stdin) : (json ? JSON : YAML).readTree(Files.readAllBytes(Path.of(file)));
    } catch (NoSuchFileException e) {
      throw new CliException("no such file: " + file);
    } catch (JsonProcessingException e) {
      throw new CliException(file + " is not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The file of these registrations as served (server fields removed; a null jsonPointer left out). */
  static String write(List<JsonNode> served, boolean json) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode apis = root.putArray("apis");
    for (JsonNode api : served) {
      ObjectNode item = ((ObjectNode) api).deepCopy();
      item.remove(SERVER_FIELDS);
      if (item.path("jsonPointer").isNull()) {
        item.remove("jsonPointer");
      }
      apis.add(item);
    }
    try {
      return (json ? JSON : YAML).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a registration asks for, with the service's defaults filled in, to compare a file's entry with a
   * served one. {@code desiredState} counts only where the file sets it (a PUT without it keeps the
   * current one). Values of the wrong type compare as their text: the service will refuse them.
   */
  record Spec(String url, String mode, String pollIntervalMs, Map<String, String> headers, String jsonPointer,
              List<String> notifyWebhooks, String alertOnChange) {

    static Spec of(JsonNode registration) {
      Map<String, String> headers = new TreeMap<>();
      registration.path("headers").properties().forEach(header -> headers.put(header.getKey(), header.getValue().asText()));
      List<String> webhooks = new ArrayList<>();
      registration.path("notifyWebhooks").forEach(hook -> webhooks.add(hook.asText()));
      JsonNode pointer = registration.path("jsonPointer");
      return new Spec(registration.path("url").asText(),
          registration.path("mode").asText("POLL"),
          registration.path("pollIntervalMs").isIntegralNumber() ? Long.toString(registration.path("pollIntervalMs").asLong())
              : registration.has("pollIntervalMs") ? registration.path("pollIntervalMs").toString() : "60000",
          headers,
          pointer.isNull() || pointer.isMissingNode() || pointer.asText().isEmpty() ? null : pointer.asText(),
          webhooks,
          registration.has("alertOnChange") ? registration.path("alertOnChange").toString() : "false");
    }
  }

  /** The fields in which a file's entry differs from the served registration (empty: unchanged). */
  static List<String> differences(JsonNode wanted, JsonNode served) {
    Spec a = Spec.of(wanted);
    Spec b = Spec.of(served);
    List<String> fields = new ArrayList<>();
    if (!a.url().equals(b.url())) {
      fields.add("url");
    }
    if (!a.mode().equals(b.mode())) {
      fields.add("mode");
    }
    if (!a.pollIntervalMs().equals(b.pollIntervalMs())) {
      fields.add("pollIntervalMs");
    }
    if (!a.headers().equals(b.headers())) {
      fields.add("headers");
    }
    if (!Objects.equals(a.jsonPointer(), b.jsonPointer())) {
      fields.add("jsonPointer");
    }
    if (!a.notifyWebhooks().equals(b.notifyWebhooks())) {
      fields.add("notifyWebhooks");
    }
    if (!a.alertOnChange().equals(b.alertOnChange())) {
      fields.add("alertOnChange");
    }
    if (wanted.has("desiredState") && !wanted.path("desiredState").asText().equals(served.path("desiredState").asText())) {
      fields.add("desiredState");
    }
    return fields;
  }
}
