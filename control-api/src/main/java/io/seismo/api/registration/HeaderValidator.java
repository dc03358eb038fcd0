package io.seismo.api.registration;

import io.seismo.api.error.Problem.FieldError;
import io.seismo.runtime.net.RequestHeaders;
import io.seismo.runtime.net.SecretNames;
import io.seismo.runtime.net.SecretResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks the request headers of a registration and their {@code ${env:NAME}} secret references. */
final class HeaderValidator {

  static final int MAX_HEADERS = 50;

  private final SecretNames secretNames;

  HeaderValidator(SecretNames secretNames) {
    this.secretNames = secretNames;
  }

  void validate(Map<String, String> headers, List<FieldError> errors) {
    if (headers != null && headers.size() > MAX_HEADERS) {
      errors.add(new FieldError("headers", "must have at most " + MAX_HEADERS + " headers, has "
          + headers.size()));
    } else if (headers != null) {
      headers.forEach((name, value) -> validateHeader(name, value, errors));
      headers.forEach((name, value) -> validateSecretReferences(name, value, errors));
    }
  }

  /**
   * RFC 9110: the name a token, the value a field value (here ASCII only, what ingest can send); no
   * hop-by-hop, framing or proxy header. The messages never show the value: it may be a secret.
   */
  private static void validateHeader(String name, String value, List<FieldError> errors) {
    String field = "headers." + RequestHeaders.printable(name);
    if (!RequestHeaders.isValidName(name)) {
      errors.add(new FieldError(field, "is not a valid HTTP header name (an RFC 9110 token of at most "
          + RequestHeaders.MAX_NAME_LENGTH + " characters)"));
    } else if (RequestHeaders.isReserved(name)) {
      errors.add(new FieldError(field, "is a hop-by-hop, framing or proxy header, set by Seismo itself or by nobody"));
    } else if (!RequestHeaders.isValidValue(value)) {
      errors.add(new FieldError(field, "must be an RFC 9110 field value of at most " + RequestHeaders.MAX_VALUE_LENGTH
          + " characters: printable ASCII, space and tab, no leading or trailing space or tab (the value is not shown)"));
    }
  }

  /**
   * Every {@code ${env:} starts a well-formed reference, to a name {@value SecretNames#SETTING} allows
   * (ingest checks again before reading the environment).
   */
  private void validateSecretReferences(String name, String value, List<FieldError> errors) {
    if (value == null || !RequestHeaders.isValidName(name)) {
      return;
    }
    String field = "headers." + name;
    List<String> names = SecretResolver.references(value);
    if (countOccurrences(value, "${env:") != names.size()) {
      errors.add(new FieldError(field, "has a malformed secret reference: write ${env:NAME} with NAME of letters,"
          + " digits and '_'"));
      return;
    }
    names.stream().filter(reference -> !secretNames.allows(reference)).findFirst().ifPresent(refused ->
        errors.add(new FieldError(field, "references ${env:" + refused + "}, which is not an allowed secret name: "
            + SecretNames.SETTING + " allows " + secretNames.describe())));
  }

  private static int countOccurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }
  /**
   * The headers to store: a value sent as {@value Redaction#MARKER} (as a read registration shows a
   * secret) keeps the stored value of that header; with none stored, it is refused — never stored or
   * sent literally.
   */
  static Map<String, String> keepStoredSecrets(Map<String, String> sent, Map<String, String> stored,
                                                       List<FieldError> errors) {
    if (sent == null) {
      return null;
    }
    Map<String, String> headers = new HashMap<>();
    sent.forEach((name, value) -> {
      if (!Redaction.MARKER.equals(value)) {
        headers.put(name, value);
        return;
      }
      String kept = stored.get(name);
      if (kept == null) {
        kept = stored.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
            .findFirst().orElse(null);
      }
      if (kept == null) {
        errors.add(new FieldError("headers." + RequestHeaders.printable(name), "is '" + Redaction.MARKER
            + "', which keeps a stored secret, but the registration has no value for this header: send the value"));
      } else {
        headers.put(name, kept);
      }
    });
    return headers;
  }
}
