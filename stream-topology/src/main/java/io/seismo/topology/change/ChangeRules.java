package io.seismo.topology.change;

import io.seismo.schemas.Registration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What counts as a change for one API, from its registration: which part of the payload is analysed
 * ({@code jsonPointer} narrows to one value; {@code select} keeps several parts at their paths), which
 * members are left out ({@code ignore}), which arrays are sets ({@code unorderedArrays}) and which are
 * records matched by a key member ({@code arrayKeys}). See {@link DocumentNormalizer} for how they apply.
 * The same rules, from the same registration, apply to polled and streamed documents and on replay.
 */
public record ChangeRules(String jsonPointer, List<List<String>> select, List<PointerPattern> ignore,
                          List<PointerPattern> unorderedArrays, Map<PointerPattern, String> arrayKeys) {

  public static final int MAX_IGNORE = 100;
  public static final int MAX_SELECT = 20;
  public static final int MAX_UNORDERED = 50;
  public static final int MAX_ARRAY_KEYS = 50;
  public static final int MAX_KEY_MEMBER_LENGTH = 256;

  public static final ChangeRules NONE = new ChangeRules(null, List.of(), List.of(), List.of(), Map.of());

  public ChangeRules {
    select = List.copyOf(select);
    ignore = List.copyOf(ignore);
    unorderedArrays = List.copyOf(unorderedArrays);
    arrayKeys = Collections.unmodifiableMap(new LinkedHashMap<>(arrayKeys));
  }

  /** Only a JSON Pointer (or none): what a registration without change rules asks for. */
  public static ChangeRules ofPointer(String jsonPointer) {
    return jsonPointer == null || jsonPointer.isEmpty() ? NONE
        : new ChangeRules(jsonPointer, List.of(), List.of(), List.of(), Map.of());
  }

  /**
   * The rules of a registration (null: none). A pattern that does not parse — the control API refuses
   * them, but a registration may come from another producer — is left out rather than failing the sample.
   */
  public static ChangeRules of(Registration registration) {
    if (registration == null) {
      return NONE;
    }
    List<List<String>> select = new ArrayList<>();
    for (String pointer : registration.getSelect()) {
      tryParse(pointer).filter(p -> !hasWildcard(p)).ifPresent(p -> select.add(p.segments()));
    }
    select.sort(Comparator.comparingInt(List::size)); // a shorter pointer first: it holds the longer ones
    List<PointerPattern> ignore = new ArrayList<>();
    registration.getIgnore().forEach(text -> tryParse(text).ifPresent(ignore::add));
    List<PointerPattern> unordered = new ArrayList<>();
    registration.getUnorderedArrays().forEach(text -> tryParse(text).ifPresent(unordered::add));
    Map<PointerPattern, String> keys = new LinkedHashMap<>();
    registration.getArrayKeys().forEach((text, member) -> {
      if (member != null && !member.isEmpty()) {
        tryParse(text).ifPresent(pattern -> keys.put(pattern, member));
      }
    });
    String pointer = registration.getJsonPointer() == null || registration.getJsonPointer().isEmpty()
        ? null : registration.getJsonPointer();
    if (select.isEmpty() && ignore.isEmpty() && unordered.isEmpty() && keys.isEmpty()) {
      return ofPointer(pointer);
    }
    return new ChangeRules(select.isEmpty() ? pointer : null, select, ignore, unordered, keys);
  }

  /** Whether two registrations of an API ask for different change rules (pointer aside). */
  public static boolean changed(Registration previous, Registration next) {
    return !previous.getSelect().equals(next.getSelect()) || !previous.getIgnore().equals(next.getIgnore())
        || !previous.getUnorderedArrays().equals(next.getUnorderedArrays())
        || !previous.getArrayKeys().equals(next.getArrayKeys());
  }

  /** Whether the document needs a walk after narrowing (ignore, unordered arrays or keyed arrays). */
  public boolean walks() {
    return !ignore.isEmpty() || !unorderedArrays.isEmpty() || !arrayKeys.isEmpty();
  }

  private static Optional<PointerPattern> tryParse(String text) {
    try {
      return Optional.of(PointerPattern.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean hasWildcard(PointerPattern pattern) {
    return pattern.segments().stream().anyMatch(s -> s.equals(PointerPattern.ANY) || s.equals(PointerPattern.ANY_DEPTH));
  }

  /** One problem with a registration's change rules: the field (e.g. {@code ignore[2]}) and what is wrong. */
  public record Problem(String field, String message) {}

  /**
   * Every problem with these rules as a registration sends them (null lists and maps: absent). The
   * messages name the rule and never need the document.
   */
  public static List<Problem> validate(String jsonPointer, List<String> select, List<String> ignore,
                                       List<String> unorderedArrays, Map<String, String> arrayKeys) {
    List<Problem> problems = new ArrayList<>();
    if (select != null && !select.isEmpty() && jsonPointer != null && !jsonPointer.isEmpty()) {
      problems.add(new Problem("select", "cannot be combined with jsonPointer: jsonPointer narrows the document to one"
          + " value, select keeps several parts at their paths; send one of them"));
    }
    patterns("select", select, MAX_SELECT, problems, true);
    patterns("ignore", ignore, MAX_IGNORE, problems, false);
    patterns("unorderedArrays", unorderedArrays, MAX_UNORDERED, problems, false);
    if (arrayKeys != null) {
      if (arrayKeys.size() > MAX_ARRAY_KEYS) {
        problems.add(new Problem("arrayKeys", "must have at most " + MAX_ARRAY_KEYS + " entries, has " + arrayKeys.size()));
      } else {
        arrayKeys.forEach((pattern, member) -> {
          String field = "arrayKeys." + (pattern == null ? "null" : pattern);
          try {
            PointerPattern.parse(pattern);
          } catch (IllegalArgumentException e) {
            problems.add(new Problem(field, "the array pattern " + e.getMessage()));
          }
          if (member == null || member.isEmpty()) {
            problems.add(new Problem(field, "must name the member that identifies each record, e.g. \"id\""));
          } else if (member.length() > MAX_KEY_MEMBER_LENGTH) {
            problems.add(new Problem(field, "the key member name must be at most " + MAX_KEY_MEMBER_LENGTH + " characters"));
          }
        });
      }
    }
    return problems;
  }

  private static void patterns(String name, List<String> texts, int max, List<Problem> problems, boolean plain) {
    if (texts == null) {
      return;
    }
    if (texts.size() > max) {
      problems.add(new Problem(name, "must have at most " + max + " entries, has " + texts.size()));
      return;
    }
    for (int i = 0; i < texts.size(); i++) {
      String field = name + "[" + i + "]";
      try {
        PointerPattern pattern = PointerPattern.parse(texts.get(i));
        if (plain && hasWildcard(pattern)) {
          problems.add(new Problem(field, "must be a plain JSON Pointer: wildcards ('*', '**') are for ignore,"
              + " unorderedArrays and arrayKeys"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(field, e.getMessage()));
      }
    }
  }
}
