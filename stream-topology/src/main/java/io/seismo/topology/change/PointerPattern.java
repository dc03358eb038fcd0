package io.seismo.topology.change;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON Pointer whose segments may be wildcards: {@code *} matches exactly one segment (a
 * member name or an array index), {@code **} any number of segments, none included. So
 * {@code /items/*}{@code /updatedAt} matches the {@code updatedAt} of every element of {@code items}, and
 * {@code /**}{@code /etag} every {@code etag} at any depth. Other segments are literal, unescaped as RFC
 * 6901 says ({@code ~1} is {@code /}, {@code ~0} is {@code ~}); a member literally named {@code *} cannot
 * be told from the wildcard.
 */
public record PointerPattern(String text, List<String> segments) {

  public static final int MAX_LENGTH = 1024;
  public static final int MAX_SEGMENTS = 64;
  static final String ANY = "*";
  static final String ANY_DEPTH = "**";

  public PointerPattern {
    segments = List.copyOf(segments);
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException with a message saying what is wrong (fit for an API error)
   */
  public static PointerPattern parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("must be a JSON Pointer starting with '/' (the whole document cannot be a pattern)");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
    }
    if (text.charAt(0) != '/') {
      throw new IllegalArgumentException("must be a JSON Pointer starting with '/', was '" + shown(text) + "'");
    }
    List<String> segments = new ArrayList<>();
    for (String raw : text.substring(1).split("/", -1)) {
      segments.add(unescape(raw, text));
    }
    if (segments.size() > MAX_SEGMENTS) {
      throw new IllegalArgumentException("must have at most " + MAX_SEGMENTS + " segments");
    }
    return new PointerPattern(text, segments);
  }

  private static String unescape(String raw, String text) {
    if (raw.indexOf('~') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '~') {
        out.append(c);
      } else if (i + 1 < raw.length() && (raw.charAt(i + 1) == '0' || raw.charAt(i + 1) == '1')) {
        out.append(raw.charAt(++i) == '0' ? '~' : '/');
      } else {
        throw new IllegalArgumentException("has a '~' not followed by '0' or '1' (RFC 6901 escapes: ~0 for '~',"
            + " ~1 for '/'): '" + shown(text) + "'");
      }
    }
    return out.toString();
  }

  private static String shown(String text) {
    return text.length() > 100 ? text.substring(0, 100) + "…" : text;
  }

  /** Whether the pointer with these (unescaped) segments matches. */
  public boolean matches(List<String> path) {
    return matches(path, 0, 0);
  }

  private boolean matches(List<String> path, int p, int s) {
    while (s < segments.size()) {
      String segment = segments.get(s);
      if (segment.equals(ANY_DEPTH)) {
        for (int skip = p; skip <= path.size(); skip++) {
          if (matches(path, skip, s + 1)) {
            return true;
          }
        }
        return false;
      }
      if (p >= path.size() || !(segment.equals(ANY) || segment.equals(path.get(p)))) {
        return false;
      }
      p++;
      s++;
    }
    return p == path.size();
  }

  /** The pointer of these segments, escaped as RFC 6901 says ("" for none). */
  public static String pointer(List<String> segments) {
    StringBuilder out = new StringBuilder();
    for (String segment : segments) {
      out.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
