package io.seismo.ingest.poll;

import io.seismo.schemas.HttpHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Headers as an execution log shows them: what was sent and received, never a credential. A header
 * whose name says it carries one (Authorization, Cookie, Set-Cookie, anything with key, token, secret,
 * password, auth, session or signature in its name) shows {@value #REDACTED}; a registration header
 * whose value references a secret ({@code ${env:NAME}}) shows the reference, not the resolved value.
 * At most {@value #MAX_HEADERS} headers, values shortened to {@value #MAX_VALUE_LENGTH} characters.
 */
public final class LoggedHeaders {

  public static final String REDACTED = "<redacted>";
  static final int MAX_HEADERS = 40;
  static final int MAX_VALUE_LENGTH = 256;
  private static final Pattern SENSITIVE = Pattern.compile(
      "authorization|cookie|set-cookie|.*(key|token|secret|password|passwd|auth|session|signature|credential).*");

  private LoggedHeaders() {}

  /** Headers received: credentials redacted. */
  public static List<HttpHeader> received(Headers headers) {
    return sent(headers, Map.of());
  }

  /**
   * Headers sent: credentials redacted, and where the registration wrote a secret reference the
   * reference instead of the value that went on the wire.
   */
  public static List<HttpHeader> sent(Headers headers, Map<String, String> asRegistered) {
    List<HttpHeader> logged = new ArrayList<>(Math.min(headers.size(), MAX_HEADERS));
    for (int i = 0; i < headers.size() && logged.size() < MAX_HEADERS; i++) {
      String name = headers.name(i);
      logged.add(new HttpHeader(name, shown(name, headers.value(i), asRegistered)));
    }
    return logged;
  }

  private static String shown(String name, String value, Map<String, String> asRegistered) {
    if (SENSITIVE.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
      return REDACTED;
    }
    for (Map.Entry<String, String> registered : asRegistered.entrySet()) {
      if (registered.getKey().equalsIgnoreCase(name) && registered.getValue().contains("${env:")) {
        return shorten(registered.getValue());
      }
    }
    return shorten(value);
  }

  private static String shorten(String value) {
    return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH - 1) + "…";
  }
}
