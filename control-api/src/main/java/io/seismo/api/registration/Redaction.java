package io.seismo.api.registration;

import io.seismo.runtime.net.CredentialHeaders;
import io.seismo.runtime.topic.DeliveryTable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How registrations are shown: literal values of sensitive headers are replaced by {@value #MARKER} and
 * webhook URLs by their host and fingerprint; a registration sent back with them keeps the stored values
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
      URI uri = new URI(url);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/"
          + WEBHOOK_MARKER + DeliveryTable.fingerprint(url);
    } catch (URISyntaxException | RuntimeException e) {
      return "https://invalid.invalid/" + WEBHOOK_MARKER + DeliveryTable.fingerprint(url);
    }
  }

  public static List<String> webhooks(List<String> urls) {
    return urls.stream().map(Redaction::webhook).toList();
  }

  /** The fingerprint a shown webhook names, or null if {@code shown} is not one. */
  static String shownWebhookFingerprint(String shown) {
    Matcher matcher = SHOWN_WEBHOOK.matcher(shown == null ? "" : shown);
    return matcher.matches() ? matcher.group(1) : null;
  }

  public static Map<String, String> redacted(Map<String, String> headers) {
    Map<String, String> shown = new TreeMap<>();
    headers.forEach((name, value) -> shown.put(name, CredentialHeaders.shown(name, value)));
    return shown;
  }
}
