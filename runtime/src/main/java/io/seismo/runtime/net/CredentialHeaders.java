package io.seismo.runtime.net;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which header values may be shown — in a registration read back, an execution log, an error — and
 * which hide a credential. A header whose name says it carries one (Authorization, Cookie, Set-Cookie,
 * anything with key, token, secret, password, auth, session, signature or credential in its name) is
 * shown as {@value #MARKER}, unless its value is nothing but secret references ({@code ${env:NAME}})
 * after an optional authentication scheme such as {@code Bearer}: a reference hides nothing.
 */
public final class CredentialHeaders {

  public static final String MARKER = "<redacted>";

  private static final Pattern CREDENTIAL = Pattern.compile(
      "authorization|cookie|set-cookie|.*(key|token|secret|password|passwd|auth|session|signature|credential).*");
  private static final Pattern ONLY_REFERENCES = Pattern.compile(
      "(?i:(?:bearer|basic|token|digest|bot|apikey) +)?(?:\\$\\{env:[A-Za-z0-9_]+})+");

  private CredentialHeaders() {}

  public static boolean isCredential(String name) {
    return CREDENTIAL.matcher(name.toLowerCase(Locale.ROOT)).matches();
  }

  public static boolean isOnlyReferences(String value) {
    return ONLY_REFERENCES.matcher(value).matches();
  }

  /** The value as it may be shown. */
  public static String shown(String name, String value) {
    return isCredential(name) && !isOnlyReferences(value) ? MARKER : value;
  }
}
