package io.seismo.topology.change;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The normalised paths an RFC 6902 patch changes: each operation's {@code path} (and a move's or copy's
 * {@code from}) with array indexes and keyed records collapsed to {@code *} — {@code /items/3/price} and
 * {@code /items/7/price} are both {@code /items/*}{@code /price} — so that a path's frequency means "this
 * field of any element". A segment is collapsed when, in the new document (or, for what was removed, in
 * the previous one), it addresses an array element or a record of a keyed array ({@code arrayKeys}), or
 * is the append marker {@code -}. Each path once per patch.
 */
public final class ChangedPaths {

  /** Operations looked at per patch: a huge patch is counted by its first operations. */
  static final int MAX_OPERATIONS = 1_000;

  private ChangedPaths() {}

  public static List<String> of(JsonNode patch, JsonNode previous, JsonNode next, ChangeRules rules) {
    Set<String> paths = new LinkedHashSet<>();
    int seen = 0;
    for (JsonNode operation : patch) {
      if (seen++ >= MAX_OPERATIONS) {
        break;
      }
      for (String member : new String[] {"from", "path"}) {
        JsonNode pointer = operation.get(member);
        if (pointer != null && pointer.isTextual()) {
          paths.add(normalise(pointer.asText(), previous, next, rules));
        }
      }
    }
    return List.copyOf(paths);
  }

  static String normalise(String pointer, JsonNode previous, JsonNode next, ChangeRules rules) {
    List<String> segments;
    try {
      segments = pointer.isEmpty() ? List.of() : PointerPattern.parse(pointer).segments();
    } catch (IllegalArgumentException e) {
      return pointer;
    }
    List<String> raw = new ArrayList<>();
    List<String> collapsed = new ArrayList<>();
    JsonNode inNext = next;
    JsonNode inPrevious = previous;
    for (String segment : segments) {
      JsonNode container = inNext != null && !inNext.isMissingNode() ? inNext : inPrevious;
      boolean element = segment.equals("-")
          || (container != null && container.isArray())
          || (container != null && container.isObject() && keyedAt(raw, rules))
          || (container == null && isIndex(segment));
      collapsed.add(element ? PointerPattern.ANY : segment);
      raw.add(segment);
      inNext = child(inNext, segment);
      inPrevious = child(inPrevious, segment);
    }
    return PointerPattern.pointer(collapsed);
  }

  private static boolean keyedAt(List<String> path, ChangeRules rules) {
    for (Map.Entry<PointerPattern, String> entry : rules.arrayKeys().entrySet()) {
      if (entry.getKey().matches(path)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode child(JsonNode node, String segment) {
    if (node == null) {
      return null;
    }
    if (node.isArray()) {
      return isIndex(segment) ? node.get(Integer.parseInt(segment)) : null;
    }
    return node.isObject() ? node.get(segment) : null;
  }

  private static boolean isIndex(String segment) {
    if (segment.isEmpty() || segment.length() > 9) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (!Character.isDigit(segment.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
