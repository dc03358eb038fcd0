package io.seismo.ingest.notify.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any JSON receiver: the configured {@code body} is a JSON value whose strings may contain
 * {@code {{id}} {{apiId}} {{kind}} {{at}} {{atEpochMs}} {{detail}} {{summary}}}; each is replaced in
 * the string values (and object keys) of that tree. Substituting in the parsed tree rather than in
 * the text means a detail with quotes or newlines can never break the JSON or inject fields: no
 * escaping is left to the template's author (what a text template engine would need). Unknown
 * placeholders are refused when the channel is configured.
 */
public final class TemplateFormat implements ChannelFormat {

  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");
  static final Set<String> NAMES = Set.of("id", "apiId", "kind", "at", "atEpochMs", "detail", "summary");

  private final JsonNode template;

  public TemplateFormat(JsonNode template) {
    this.template = template.deepCopy();
    check(template);
  }

  private static void check(JsonNode node) {
    if (node.isTextual()) {
      Matcher m = PLACEHOLDER.matcher(node.textValue());
      while (m.find()) {
        if (!NAMES.contains(m.group(1))) {
          throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}}; known: " + NAMES);
        }
      }
    }
    node.properties().forEach(e -> {
      check(TextNode.valueOf(e.getKey()));
      check(e.getValue());
    });
    if (node.isArray()) {
      node.forEach(TemplateFormat::check);
    }
  }

  @Override
  public String render(AlertMessage alert) {
    Map<String, String> values = Map.of("id", alert.id(), "apiId", alert.apiId(), "kind", alert.kind(),
        "at", alert.at().toString(), "atEpochMs", Long.toString(alert.at().toEpochMilli()), "detail", alert.detail(),
        "summary", alert.summary());
    return Json.write(fill(template, values));
  }

  private static JsonNode fill(JsonNode node, Map<String, String> values) {
    if (node.isTextual()) {
      return TextNode.valueOf(substitute(node.textValue(), values));
    }
    if (node.isObject()) {
      ObjectNode out = Json.object();
      node.properties().forEach(e -> out.set(substitute(e.getKey(), values), fill(e.getValue(), values)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(item -> out.add(fill(item, values)));
      return out;
    }
    return node;
  }

  private static String substitute(String text, Map<String, String> values) {
    return PLACEHOLDER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
  }
}
