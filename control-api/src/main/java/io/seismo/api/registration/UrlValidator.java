package io.seismo.api.registration;

import io.seismo.api.error.Problem.FieldError;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.BlockedAddressException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/** Checks the URLs of a registration: their syntax, then the addresses their hosts resolve to. */
final class UrlValidator {

  private static final int MAX_URL_LENGTH = 2048;

  private final AddressGuard guard;

  UrlValidator(AddressGuard guard) {
    this.guard = guard;
  }

  /** Address checks resolve DNS, so they run only for an otherwise valid request. */
  void checkAddresses(RegistrationRequest request, List<FieldError> errors) {
    if (!errors.isEmpty()) {
      return;
    }
    checkAddress(URI.create(request.url()).getHost(), "url", errors);
    if (request.notifyWebhooks() != null) {
      for (int i = 0; i < request.notifyWebhooks().size(); i++) {
        checkAddress(URI.create(request.notifyWebhooks().get(i)).getHost(), "notifyWebhooks[" + i + "]", errors);
      }
    }
  }

  /**
   * Refuses hosts that are, or resolve to, loopback, private, link-local or metadata addresses unless
   * allowlisted — the same rule ingest applies at every connection (which also catches DNS changes
   * after registration). A host that does not resolve now is accepted; polling reports DNS errors.
   */
  private void checkAddress(String host, String field, List<FieldError> errors) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      for (InetAddress address : InetAddress.getAllByName(bare)) {
        guard.check(bare, address);
      }
    } catch (BlockedAddressException e) {
      errors.add(new FieldError(field, e.getMessage()));
    } catch (UnknownHostException unresolvedForNow) {
      // accepted: the host may resolve later; every poll is guarded again
    }
  }

  static void validateSyntax(String url, List<FieldError> errors) {
    if (url == null || url.isBlank()) {
      errors.add(new FieldError("url", "is required"));
      return;
    }
    if (url.length() > MAX_URL_LENGTH) {
      errors.add(new FieldError("url", "must be at most " + MAX_URL_LENGTH + " characters"));
      return;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        // never the URL itself: its user info, path or query may hold a token
        errors.add(new FieldError("url", "must be an absolute http or https URL (the value is not shown)"));
      } else if (uri.getHost() == null || uri.getHost().isBlank()) {
        errors.add(new FieldError("url", "must name a host"));
      } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
        errors.add(new FieldError("url", "must have a port from 1 to 65535"));
      } else if (uri.getRawUserInfo() != null) {
        errors.add(new FieldError("url", "must not contain credentials; use headers with ${env:NAME} secrets"));
      } else if (uri.getRawFragment() != null) {
        errors.add(new FieldError("url", "must not contain a fragment"));
      }
    } catch (URISyntaxException e) {
      errors.add(new FieldError("url", "is not a valid URL: " + e.getReason() + " at index " + e.getIndex()));
    }
  }
}
