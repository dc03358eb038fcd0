package io.seismo.api.registration;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How registrations are shown: literal values of sensitive headers (Authorization, Cookie, names with
 * key, token, secret, password or auth) are replaced by {@value #MARKER}, unless the value is nothing
 * but secret references ({@code ${env:NAME}}), after an optional authentication scheme such as
 * {@code Bearer}: those are shown as written (a value mixing literal text with a reference is a literal
 * secret too). A registration sent back with the marker keeps the stored value
 * ({@link RegistrationValidator#replace}).
 */
public final class Redaction {

  public static final String MARKER = "<redacted>";

  private static final Pattern SENSITIVE = Pattern.compile("authorization|cookie|.*(key|token|secret|password|auth).*");

  /** Only references, after an optional authentication scheme: nothing secret to hide. */
  private static final Pattern ONLY_REFERENCES = Pattern.compile(
      "(?i:(?:bearer|basic|token|digest|bot|apikey) +)?(?:\\$\\{env:[A-Za-z0-9_]+})+");

  private Redaction() {}

  public static Map<String, String> redacted(Map<String, String> headers) {
    Map<String, String> shown = new TreeMap<>();
    headers.forEach((name, value) -> shown.put(name,
        ONLY_REFERENCES.matcher(value).matches() || !SENSITIVE.matcher(name.toLowerCase(Locale.ROOT)).matches()
            ? value : MARKER));
    return shown;
  }
}
