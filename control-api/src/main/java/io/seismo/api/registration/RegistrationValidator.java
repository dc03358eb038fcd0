package io.seismo.api.registration;

import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretNames;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a request body into a {@link Registration}, or a 400 problem listing every invalid field.
 * Strict: unknown fields, wrong JSON types and coercions ("5" for a number) are errors.
 */
public final class RegistrationValidator {

  private static final Pattern API_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final long MAX_INTERVAL_MS = Duration.ofDays(1).toMillis();

  private final long minIntervalMs;
  private final UrlValidator urls;
  private final HeaderValidator headers;

  /** With the default secret allowlist ({@code SEISMO_SECRET_*}). */
  public RegistrationValidator(long minIntervalMs, AddressGuard guard) {
    this(minIntervalMs, guard, SecretNames.DEFAULT);
  }

  public RegistrationValidator(long minIntervalMs, AddressGuard guard, SecretNames secretNames) {
    this.minIntervalMs = minIntervalMs;
    this.urls = new UrlValidator(guard);
    this.headers = new HeaderValidator(secretNames);
  }

  /** Parses and validates a new registration; {@code now} stamps createdAt / updatedAt. */
  public Registration create(byte[] body, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    RegistrationRequest request = NotifyValidator.keepStoredWebhooks(RequestParser.parse(body), List.of(), errors);
    if (request.apiId() == null) {
      errors.add(new FieldError("apiId", "is required"));
    } else if (!API_ID.matcher(request.apiId()).matches()) {
      errors.add(new FieldError("apiId", "must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
    }
    validateCommon(request, errors);
    Map<String, String> headers = HeaderValidator.keepStoredSecrets(request.headers(), Map.of(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.badRequest(summary(errors), errors);
    }
    return request.with(request.apiId(), headers, request.desiredState()).toRegistration(1, now, now);
  }

  /**
   * Parses and validates a full replacement of {@code current} (PUT): the apiId is the path's, the
   * version is the next one, createdAt is kept.
   */
  public Registration replace(byte[] body, Registration current, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    RegistrationRequest request = NotifyValidator.keepStoredWebhooks(RequestParser.parse(body), current.getNotifyWebhooks(), errors);
    if (request.apiId() != null && !request.apiId().equals(current.getApiId())) {
      errors.add(new FieldError("apiId", "must be '" + current.getApiId() + "' (the id in the path) or absent"));
    }
    validateReadOnly(request, current, errors);
    validateCommon(request, errors);
    Map<String, String> headers = HeaderValidator.keepStoredSecrets(request.headers(), current.getHeaders(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.badRequest(summary(errors), errors);
    }
    // a PUT that leaves desiredState out keeps it: replacing the URL must not restart a stopped API
    DesiredState desired = request.desiredState() == null ? current.getDesiredState() : request.desiredState();
    return request.with(current.getApiId(), headers, desired).toRegistration(current.getVersion() + 1,
        current.getCreatedAt(), now);
  }

  /** version, createdAt and updatedAt of a PUT body: absent, or those of the current registration. */
  private static void validateReadOnly(RegistrationRequest request, Registration current, List<FieldError> errors) {
    if (request.version() != null && request.version() != current.getVersion()) {
      errors.add(new FieldError("version", "is read-only: send " + current.getVersion()
          + " (the current version) or leave it out"));
    }
    readOnlyInstant("createdAt", request.createdAt(), current.getCreatedAt(), errors);
    readOnlyInstant("updatedAt", request.updatedAt(), current.getUpdatedAt(), errors);
  }

  private static void readOnlyInstant(String field, String sent, Instant current, List<FieldError> errors) {
    if (sent == null) {
      return;
    }
    boolean matches;
    try {
      matches = Instant.parse(sent).equals(current);
    } catch (DateTimeParseException e) {
      matches = false;
    }
    if (!matches) {
      errors.add(new FieldError(field, "is read-only: send " + current + " or leave it out"));
    }
  }

  private void validateCommon(RegistrationRequest request, List<FieldError> errors) {
    UrlValidator.validateSyntax(request.url(), errors);
    if (request.pollIntervalMs() != null
        && (request.pollIntervalMs() < minIntervalMs || request.pollIntervalMs() > MAX_INTERVAL_MS)) {
      errors.add(new FieldError("pollIntervalMs", "must be between " + minIntervalMs + " and " + MAX_INTERVAL_MS
          + " milliseconds, was " + request.pollIntervalMs()));
    }
    headers.validate(request.headers(), errors);
    ChangeRuleValidator.validate(request, errors);
    NotifyValidator.validate(request, errors);
    AlertRuleValidator.validate(request.rules(), errors);
    ScheduleValidator.validate(request.silences(), request.schedule(), errors);
    urls.checkAddresses(request, errors);
  }

  private static String summary(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
  }
}
