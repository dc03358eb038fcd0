package io.seismo.api.registration;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How registrations are shown: literal values of sensitive headers (Authorization, Cookie, names with
 * key, token, secret, password or auth) are replaced by {@value #MARKER}; secret references
 * ({@code ${env:NAME}}) are shown as written. A registration sent back with the marker keeps the stored
 * value ({@link RegistrationValidator#replace}).
 */
public final class Redaction {

  public static final String MARKER = "<redacted>";

  private static final Pattern SENSITIVE = Pattern.compile("authorization|cookie|.*(key|token|secret|password|auth).*");

  private Redaction() {}

  public static Map<String, String> redacted(Map<String, String> headers) {
    Map<String, String> shown = new TreeMap<>();
    headers.forEach((name, value) -> shown.put(name,
        value.contains("${env:") || !SENSITIVE.matcher(name.toLowerCase(Locale.ROOT)).matches() ? value : MARKER));
    return shown;
  }
}
