package io.seismo.api.registration;

import io.seismo.runtime.net.CredentialHeaders;
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

  public static final String MARKER = CredentialHeaders.MARKER;

  /** The fragment that marks a shown webhook URL; its fingerprint follows. */
  public static final String WEBHOOK_MARKER = "#redacted-";
  private static final Pattern SHOWN_WEBHOOK = Pattern.compile("(?i)https?://[^/?#]*/#redacted-([0-9a-f]{16})");

  private Redaction() {}

  /**
   * How a webhook URL is shown: its scheme, host and port, and a fragment naming the fingerprint of the
   * whole URL ({@code https://hooks.slack.com/#redacted-0123456789abcdef}) — the same fingerprint
   * {@code /deliveries} shows; never its path or query, where tokens live. Registered URLs have no
   * fragment, so a shown one sent back in a PUT is told apart and keeps the stored URL.
   */
  public static String webhook(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/"
          + WEBHOOK_MARKER + io.seismo.runtime.topic.DeliveryTable.fingerprint(url);
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "https://invalid.invalid/" + WEBHOOK_MARKER + io.seismo.runtime.topic.DeliveryTable.fingerprint(url);
    }
  }

  public static java.util.List<String> webhooks(java.util.List<String> urls) {
    return urls.stream().map(Redaction::webhook).toList();
  }

  /** The fingerprint a shown webhook names, or null if {@code shown} is not one. */
  static String shownWebhookFingerprint(String shown) {
    java.util.regex.Matcher matcher = SHOWN_WEBHOOK.matcher(shown == null ? "" : shown);
    return matcher.matches() ? matcher.group(1) : null;
  }

  public static Map<String, String> redacted(Map<String, String> headers) {
    Map<String, String> shown = new TreeMap<>();
    headers.forEach((name, value) -> shown.put(name, CredentialHeaders.shown(name, value)));
    return shown;
  }
}
