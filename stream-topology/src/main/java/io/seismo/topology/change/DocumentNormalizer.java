package io.seismo.topology.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.topology.analysis.CanonicalJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a parsed payload into the document Seismo hashes and diffs, by an API's {@link ChangeRules} (in the
 * order of docs/change-rules.md); the tree is changed in place and the root may be replaced, so use the result.
 */
public final class DocumentNormalizer {

  private DocumentNormalizer() {}

  public static JsonNode apply(JsonNode parsed, ChangeRules rules) {
    JsonNode document = narrow(parsed, rules);
    if (!rules.walks()) {
      return document;
    }
    return walk(document, new ArrayList<>(), rules);
  }

  static JsonNode narrow(JsonNode node, ChangeRules rules) {
    if (!rules.select().isEmpty()) {
      ObjectNode projection = JsonNodeFactory.instance.objectNode();
      for (List<String> pointer : rules.select()) {
        JsonNode value = node.at(PointerPattern.pointer(pointer));
        if (!value.isMissingNode()) {
          place(projection, pointer, value);
        }
      }
      return projection;
    }
    String pointer = rules.jsonPointer();
    if (pointer == null || pointer.isEmpty()) {
      return node;
    }
    JsonNode target = node.at(pointer);
    return target.isMissingNode() ? NullNode.getInstance() : target;
  }

  /** Sets {@code value} at {@code path} in {@code projection}; a path a shorter selection already holds is left. */
  private static void place(ObjectNode projection, List<String> path, JsonNode value) {
    if (path.isEmpty()) {
      return; // "" is not a pattern PointerPattern parses; nothing to place
    }
    ObjectNode container = projection;
    for (int i = 0; i < path.size() - 1; i++) {
      JsonNode child = container.get(path.get(i));
      if (child == null) {
        child = container.putObject(path.get(i));
      } else if (!(child instanceof ObjectNode)) {
        return;
      }
      container = (ObjectNode) child;
    }
    String last = path.getLast();
    if (!container.has(last)) {
      container.set(last, value);
    }
  }

  private static JsonNode walk(JsonNode node, List<String> path, ChangeRules rules) {
    if (node instanceof ArrayNode array) {
      ObjectNode keyed = keyed(array, path, rules);
      if (keyed != null) {
        return walk(keyed, path, rules);
      }
      for (int i = array.size() - 1; i >= 0; i--) {
        path.add(Integer.toString(i));
        if (ignored(path, rules)) {
          array.remove(i);
        } else {
          array.set(i, walk(array.get(i), path, rules));
        }
        path.removeLast();
      }
      if (matchesAny(rules.unorderedArrays(), path)) {
        sort(array);
      }
      return array;
    }
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> members = object.properties().iterator();
      List<Map.Entry<String, JsonNode>> replaced = new ArrayList<>();
      while (members.hasNext()) {
        Map.Entry<String, JsonNode> member = members.next();
        path.add(member.getKey());
        if (ignored(path, rules)) {
          members.remove();
        } else {
          JsonNode normalised = walk(member.getValue(), path, rules);
          if (normalised != member.getValue()) {
            replaced.add(Map.entry(member.getKey(), normalised));
          }
        }
        path.removeLast();
      }
      replaced.forEach(entry -> object.set(entry.getKey(), entry.getValue()));
      return object;
    }
    return node;
  }

  private static boolean ignored(List<String> path, ChangeRules rules) {
    return matchesAny(rules.ignore(), path);
  }

  private static boolean matchesAny(List<PointerPattern> patterns, List<String> path) {
    for (PointerPattern pattern : patterns) {
      if (pattern.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** The array as an object keyed by its records' key member, or null when it is not a keyed array here. */
  private static ObjectNode keyed(ArrayNode array, List<String> path, ChangeRules rules) {
    String member = null;
    for (Map.Entry<PointerPattern, String> entry : rules.arrayKeys().entrySet()) {
      if (entry.getKey().matches(path)) {
        member = entry.getValue();
        break;
      }
    }
    if (member == null) {
      return null;
    }
    ObjectNode keyed = JsonNodeFactory.instance.objectNode();
    Set<String> seen = new HashSet<>();
    for (JsonNode element : array) {
      JsonNode key = element.isObject() ? element.get(member) : null;
      if (key == null || !key.isValueNode() || key.isNull() || !seen.add(key.asText())) {
        return null; // not every element has a distinct scalar key: stays an array
      }
      keyed.set(key.asText(), element);
    }
    return keyed;
  }

  private static void sort(ArrayNode array) {
    List<JsonNode> elements = new ArrayList<>(array.size());
    array.forEach(elements::add);
    List<String> texts = new ArrayList<>(elements.size());
    elements.forEach(element -> texts.add(CanonicalJson.text(element)));
    Integer[] order = new Integer[elements.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(texts::get));
    array.removeAll();
    for (Integer index : order) {
      array.add(elements.get(index));
    }
  }
}
