package io.seismo.api.registration;

import io.seismo.api.error.Problem.FieldError;
import io.seismo.runtime.topic.DeliveryTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks where a registration's alerts go: its webhooks (by URL syntax) and its channel names. */
final class NotifyValidator {

  static final int MAX_WEBHOOKS = 10;
  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  private NotifyValidator() {}

  static void validate(RegistrationRequest request, List<FieldError> errors) {
    if (request.notifyWebhooks() != null && request.notifyWebhooks().size() > MAX_WEBHOOKS) {
      errors.add(new FieldError("notifyWebhooks", "must have at most " + MAX_WEBHOOKS + " webhooks, has "
          + request.notifyWebhooks().size()));
    } else if (request.notifyWebhooks() != null) {
      for (int i = 0; i < request.notifyWebhooks().size(); i++) {
        String hook = request.notifyWebhooks().get(i);
        if (Redaction.shownWebhookFingerprint(hook) != null) {
          continue; // refused by keepStoredWebhooks: no stored webhook has its fingerprint
        }
        List<FieldError> hookErrors = new ArrayList<>();
        UrlValidator.validateSyntax(hook, hookErrors);
        int index = i;
        hookErrors.forEach(error -> errors.add(new FieldError("notifyWebhooks[" + index + "]", error.message())));
      }
    }
    if (request.notifyChannels() != null) {
      validateChannels(request.notifyChannels(), errors);
    }
  }

  /** Channel names as the ingest's channels file names them (which channels exist, only the ingest knows). */
  private static void validateChannels(List<String> channels, List<FieldError> errors) {
    if (channels.size() > MAX_WEBHOOKS) {
      errors.add(new FieldError("notifyChannels", "must have at most " + MAX_WEBHOOKS + " channels, has " + channels.size()));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < channels.size(); i++) {
      String name = channels.get(i);
      if (name == null || !CHANNEL_NAME.matcher(name).matches()) {
        errors.add(new FieldError("notifyChannels[" + i + "]", "must be a channel name: lower-case letters, digits, "
            + "'-' or '_', 1 to 64 characters, starting with a letter or digit"));
      } else if (!seen.add(name)) {
        errors.add(new FieldError("notifyChannels[" + i + "]", "names channel '" + name + "' twice"));
      }
    }
  }
  /**
   * The request with every webhook shown as a read registration shows it ({@link Redaction#webhook}) replaced
   * by the stored URL with that fingerprint; one with no such stored URL is refused — never stored as sent.
   */
  static RegistrationRequest keepStoredWebhooks(RegistrationRequest request, List<String> stored,
                                                        List<FieldError> errors) {
    if (request.notifyWebhooks() == null) {
      return request;
    }
    List<String> webhooks = new ArrayList<>(request.notifyWebhooks());
    for (int i = 0; i < webhooks.size(); i++) {
      String fingerprint = Redaction.shownWebhookFingerprint(webhooks.get(i));
      if (fingerprint == null) {
        continue;
      }
      String kept = stored.stream().filter(url -> DeliveryTable.fingerprint(url).equals(fingerprint))
          .findFirst().orElse(null);
      if (kept == null) {
        errors.add(new FieldError("notifyWebhooks[" + i + "]", "is a webhook as a read registration shows it ('"
            + Redaction.WEBHOOK_MARKER + fingerprint + "'), but the registration has no webhook with this"
            + " fingerprint: send the URL"));
      } else {
        webhooks.set(i, kept);
      }
    }
    return request.withWebhooks(webhooks);
  }
}
