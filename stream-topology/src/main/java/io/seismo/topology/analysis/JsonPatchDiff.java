package io.seismo.topology.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 6902 JSON Patch between two documents, with a budget on array diffs beyond which an array is replaced
 * whole; see docs/architecture.md.
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
    return diff(source, target, Long.MAX_VALUE);
  }

  /**
   * As {@link #diff(JsonNode, JsonNode)}, but bounded: each operation repeats its full pointer, so a patch
   * can be far larger than the document (5,000 changed leaves 200 levels down: 11 MB of pointers for a
   * 53 KB document). Once the operations' pointers and framing would exceed {@code maxOverheadBytes},
   * the patch is one {@code replace} of the whole document instead (its values, disjoint parts of the
   * target, add at most the document's own size).
   */
  public ArrayNode diff(JsonNode source, JsonNode target, long maxOverheadBytes) {
    ArrayNode patch = NODES.arrayNode();
    try {
      diff("", source, target, patch, new long[] {maxOverheadBytes});
    } catch (OverBudget tooLarge) {
      patch = NODES.arrayNode();
      patch.add(op("replace", "", target));
    }
    return patch;
  }

  /** Per operation, what it adds besides its pointers and value: {"op":"replace","path":"","value":}, */
  private static final int OP_FRAMING_BYTES = 40;

  private static final class OverBudget extends RuntimeException {
    OverBudget() {
      super(null, null, false, false);
    }
  }

  private static void add(ArrayNode patch, ObjectNode operation, long[] budget) {
    long cost = OP_FRAMING_BYTES + operation.path("path").asText().length() + operation.path("from").asText().length();
    budget[0] -= cost;
    if (budget[0] < 0) {
      throw new OverBudget();
    }
    patch.add(operation);
  }

  /** Walks containers without comparing them whole first (that would compare each level again). */
  private void diff(String path, JsonNode source, JsonNode target, ArrayNode patch, long[] budget) {
    if (source.isObject() && target.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = path + "/" + escape(field.getKey());
        JsonNode other = target.get(field.getKey());
        if (other == null) {
          add(patch, op("remove", child, null), budget);
        } else {
          diff(child, field.getValue(), other, patch, budget);
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!source.has(field.getKey())) {
          add(patch, op("add", path + "/" + escape(field.getKey()), field.getValue()), budget);
        }
      }
      return;
    }
    if (source.isArray() && target.isArray() && diffArrays(path, (ArrayNode) source, (ArrayNode) target, patch, budget)) {
      return;
    }
    if (!source.equals(target)) {
      add(patch, op("replace", path, target), budget);
    }
  }

  /**
   * Diffs two arrays with zjsonpatch after setting aside their common prefix and suffix (the usual
   * first step of a sequence diff: a changed element in a long list costs its own comparison, not the
   * list's n·m); false when what remains is over the budget.
   */
  private boolean diffArrays(String path, ArrayNode source, ArrayNode target, ArrayNode patch, long[] budget) {
    int n = source.size();
    int m = target.size();
    int prefix = 0;
    while (prefix < n && prefix < m && source.get(prefix).equals(target.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix && source.get(n - 1 - suffix).equals(target.get(m - 1 - suffix))) {
      suffix++;
    }
    if (prefix == n && prefix == m) {
      return true; // equal
    }
    ArrayNode from = slice(source, prefix, n - suffix);
    ArrayNode to = slice(target, prefix, m - suffix);
    if (maxArrayCost(from, to) > arrayBudget) {
      return false;
    }
    List<JsonNode> operations = new ArrayList<>();
    for (JsonNode operation : JsonDiff.asJson(from, to, FLAGS)) {
      ObjectNode shifted = ((ObjectNode) operation).deepCopy();
      String pointer = shift(operation.get("path").asText(), prefix);
      String fromPointer = operation.has("from") ? shift(operation.get("from").asText(), prefix) : "";
      if (pointer == null || fromPointer == null) {
        return false; // not an index (zjsonpatch 0.4.16 emits none): replace the array whole
      }
      shifted.put("path", path + pointer);
      if (operation.has("from")) {
        shifted.put("from", path + fromPointer);
      }
      operations.add(shifted);
    }
    for (JsonNode operation : operations) {
      add(patch, (ObjectNode) operation, budget);
    }
    return true;
  }

  private static ArrayNode slice(ArrayNode array, int from, int to) {
    if (from == 0 && to == array.size()) {
      return array;
    }
    ArrayNode slice = NODES.arrayNode(to - from);
    for (int i = from; i < to; i++) {
      slice.add(array.get(i));
    }
    return slice;
  }

  /**
   * A pointer into the sliced array ({@code /3/name}) as a pointer into the whole one
   * ({@code /3+offset/name}); null when it does not start with an index.
   */
  static String shift(String pointer, int offset) {
    if (offset == 0) {
      return pointer;
    }
    int end = pointer.indexOf('/', 1);
    String index = end < 0 ? pointer.substring(1) : pointer.substring(1, end);
    if (index.isEmpty() || !index.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return "/" + (Integer.parseInt(index) + offset) + (end < 0 ? "" : pointer.substring(end));
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
