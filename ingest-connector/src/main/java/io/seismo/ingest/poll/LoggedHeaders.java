package io.seismo.ingest.poll;

import io.seismo.runtime.net.CredentialHeaders;
import io.seismo.schemas.HttpHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;

/**
 * Headers as an execution log shows them: what was sent and received, never a credential. Values are
 * shown as {@link CredentialHeaders} allows (a credential header's literal value is {@value #REDACTED});
 * where the registration wrote a secret reference ({@code ${env:NAME}}) the reference is shown, not the
 * value that went on the wire. At most {@value #MAX_HEADERS} headers, values shortened to
 * {@value #MAX_VALUE_LENGTH} characters.
 */
public final class LoggedHeaders {

  public static final String REDACTED = CredentialHeaders.MARKER;
  static final int MAX_HEADERS = 40;
  static final int MAX_VALUE_LENGTH = 256;

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
      logged.add(new HttpHeader(name, shorten(CredentialHeaders.shown(name, asSent(name, headers.value(i), asRegistered)))));
    }
    return logged;
  }

  /** The registration's value when it references a secret (never the resolved one), else the value sent. */
  private static String asSent(String name, String value, Map<String, String> asRegistered) {
    for (Map.Entry<String, String> registered : asRegistered.entrySet()) {
      if (registered.getKey().equalsIgnoreCase(name) && registered.getValue().contains("${env:")) {
        return registered.getValue();
      }
    }
    return value;
  }

  private static String shorten(String value) {
    return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH - 1) + "…";
  }
}
