package io.seismo.topology.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;

/**
 * RFC 6902 JSON Patch between two documents, with a budget on array diffs. zjsonpatch diffs arrays
 * with an O(n·m) longest-common-subsequence; arrays where n·m exceeds the budget are replaced whole,
 * so a 10,000-element array costs one {@code replace} instead of minutes and gigabytes. Objects are
 * walked here (cheap, linear), arrays within budget are handed to zjsonpatch.
 *
 * <p>Known limit of the library: zjsonpatch 0.4.16 decodes the pointer escape {@code ~01} as "/"
 * instead of "~1" when applying a patch, so object keys that contain the literal text "~1" do not
 * round-trip through its {@code JsonPatch.apply} (the patches produced here are RFC 6901-correct).
 */
public final class JsonPatchDiff {

  /** Default budget: n·m ≤ 250,000 (e.g. two 500-element arrays). */
  public static final long DEFAULT_ARRAY_BUDGET = 250_000;

  private static final EnumSet<DiffFlags> FLAGS = DiffFlags.dontNormalizeOpIntoMoveAndCopy();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final long arrayBudget;

  public JsonPatchDiff(long arrayBudget) {
    this.arrayBudget = arrayBudget;
  }

  public ArrayNode diff(JsonNode source, JsonNode target) {
    ArrayNode patch = NODES.arrayNode();
    diff("", source, target, patch);
    return patch;
  }

  private void diff(String path, JsonNode source, JsonNode target, ArrayNode patch) {
    if (source.equals(target)) {
      return;
    }
    if (source.isObject() && target.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = path + "/" + escape(field.getKey());
        JsonNode other = target.get(field.getKey());
        if (other == null) {
          patch.add(op("remove", child, null));
        } else {
          diff(child, field.getValue(), other, patch);
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!source.has(field.getKey())) {
          patch.add(op("add", path + "/" + escape(field.getKey()), field.getValue()));
        }
      }
      return;
    }
    if (source.isArray() && target.isArray() && maxArrayCost(source, target) <= arrayBudget) {
      for (JsonNode operation : JsonDiff.asJson(source, target, FLAGS)) {
        ObjectNode prefixed = ((ObjectNode) operation).deepCopy();
        prefixed.put("path", path + operation.get("path").asText());
        if (operation.has("from")) {
          prefixed.put("from", path + operation.get("from").asText());
        }
        patch.add(prefixed);
      }
      return;
    }
    patch.add(op("replace", path, target));
  }

  /** The largest n·m zjsonpatch would face anywhere inside these two arrays. */
  private static long maxArrayCost(JsonNode source, JsonNode target) {
    long cost = (long) source.size() * target.size();
    return Math.max(cost, Math.max(largestNested(source), largestNested(target)));
  }

  private static long largestNested(JsonNode node) {
    long largest = 0;
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        if (child.isArray()) {
          largest = Math.max(largest, (long) child.size() * child.size());
        }
        largest = Math.max(largest, largestNested(child));
      }
    }
    return largest;
  }

  private static ObjectNode op(String name, String path, JsonNode value) {
    ObjectNode op = NODES.objectNode().put("op", name).put("path", path);
    if (value != null) {
      op.set("value", value);
    }
    return op;
  }

  /** RFC 6901 escaping of a key inside a JSON Pointer. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
