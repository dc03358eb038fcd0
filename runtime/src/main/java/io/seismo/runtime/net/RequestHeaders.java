package io.seismo.runtime.net;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The rules for the request headers of a registration, shared by the control API and the ingest; no message
 * built here contains a header value (values may be secrets). The rules are in docs/architecture.md.
 */
public final class RequestHeaders {

  public static final int MAX_NAME_LENGTH = 128;
  public static final int MAX_VALUE_LENGTH = 8192;

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> RESERVED = Set.of("te", "upgrade", "expect", "connection", "keep-alive",
      "transfer-encoding", "content-length", "host", "trailer", "http2-settings");

  private RequestHeaders() {}

  /** An RFC 9110 token of at most {@value #MAX_NAME_LENGTH} characters. */
  public static boolean isValidName(String name) {
    return name != null && name.length() <= MAX_NAME_LENGTH && TOKEN.matcher(name).matches();
  }

  /** Hop-by-hop, framing or proxy headers (TE, Upgrade, Expect, Connection, Keep-Alive, Proxy-*, …). */
  public static boolean isReserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return RESERVED.contains(lower) || lower.startsWith("proxy-");
  }

  /**
   * What a client can put on the wire: horizontal tab and the printable ASCII characters (0x20-0x7E);
   * no control character (CR, LF, NUL, DEL, …) and nothing beyond ASCII.
   */
  public static boolean isSendableValue(String value) {
    if (value == null) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        return false;
      }
    }
    return true;
  }

  /**
   * An RFC 9110 field-value as written in a registration: sendable, at most {@value #MAX_VALUE_LENGTH}
   * characters, and no leading or trailing space or tab.
   */
  public static boolean isValidValue(String value) {
    return isSendableValue(value) && value.length() <= MAX_VALUE_LENGTH
        && (value.isEmpty() || (!isWhitespace(value.charAt(0)) && !isWhitespace(value.charAt(value.length() - 1))));
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** The fixed text for a header whose value cannot be sent; names the header, never shows the value. */
  public static String unsendableMessage(String name) {
    return "header '" + printable(name) + "' cannot be sent: its value contains a control or non-ASCII character"
        + " (value not shown); fix the registration or the ${env:...} secret it references";
  }

  /** A header name as it may appear in a message: non-token characters replaced by '?', at most 128 characters. */
  public static String printable(String name) {
    if (name == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && i < MAX_NAME_LENGTH; i++) {
      char c = name.charAt(i);
      out.append(TOKEN.matcher(String.valueOf(c)).matches() ? c : '?');
    }
    return out.toString();
  }

  /**
   * Puts the registration's headers on a request through {@code request} (the HTTP client's header setter, e.g.
   * OkHttp's {@code Request.Builder::header}), secrets resolved; throws (with a message that names the header,
   * never its value) for a header that cannot be sent, or that the setter refuses with an IllegalArgumentException.
   */
  public static void apply(BiConsumer<String, String> request, Map<String, String> headers, SecretResolver secrets) {
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      if (!isValidName(name)) {
        throw new UnsendableHeaderException("header '" + printable(name) + "' is not a valid HTTP header name");
      }
      if (isReserved(name)) {
        throw new UnsendableHeaderException("header '" + name
            + "' is hop-by-hop or framing, set by Seismo itself; remove it from the registration");
      }
      String value = secrets.resolve(header.getValue());
      if (!isSendableValue(value)) {
        throw new UnsendableHeaderException(unsendableMessage(name));
      }
      try {
        request.accept(name, value);
      } catch (IllegalArgumentException refused) { // the client's message (OkHttp's) may contain the value: not kept
        throw new UnsendableHeaderException(unsendableMessage(name));
      }
    }
  }

  /** A registration header that cannot be sent; the message never contains the header's value. */
  public static final class UnsendableHeaderException extends RuntimeException {
    public UnsendableHeaderException(String message) {
      super(message, null, false, false);
    }
  }
}
