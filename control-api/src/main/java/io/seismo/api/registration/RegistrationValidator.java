package io.seismo.api.registration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.BlockedAddressException;
import io.seismo.runtime.net.RequestHeaders;
import io.seismo.runtime.net.SecretNames;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.runtime.topic.DeliveryTable;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.topology.change.ChangeRules;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a request body into a {@link Registration}, or a 400 problem listing every invalid field.
 * Strict: unknown fields, wrong JSON types and coercions ("5" for a number) are errors.
 */
public final class RegistrationValidator {

  private static final Pattern API_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final long MAX_INTERVAL_MS = Duration.ofDays(1).toMillis();
  private static final int MAX_URL_LENGTH = 2048;
  /** Limits a careless (or hostile) registration could otherwise exceed: every alert is one POST per webhook. */
  public static final int MAX_HEADERS = 50;
  public static final int MAX_WEBHOOKS = 10;
  public static final int MAX_JSON_POINTER_LENGTH = 1024;
  private static final List<String> FIELDS = Arrays.stream(RegistrationRequest.class.getRecordComponents())
      .map(c -> c.getName()).toList();

  private static final ObjectMapper MAPPER = strictMapper();
  private static final Pattern QUOTED_INPUT = Pattern.compile("'(?:null|true|false)'|'[^'\\r\\n]{2,}'");
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);

  private final long minIntervalMs;
  private final AddressGuard guard;
  private final SecretNames secretNames;

  /** With the default secret allowlist ({@code SEISMO_SECRET_*}). */
  public RegistrationValidator(long minIntervalMs, AddressGuard guard) {
    this(minIntervalMs, guard, SecretNames.DEFAULT);
  }

  public RegistrationValidator(long minIntervalMs, AddressGuard guard, SecretNames secretNames) {
    this.minIntervalMs = minIntervalMs;
    this.guard = guard;
    this.secretNames = secretNames;
  }

  /** Parses and validates a new registration; {@code now} stamps createdAt / updatedAt. */
  public Registration create(byte[] body, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    RegistrationRequest request = keepStoredWebhooks(parse(body), List.of(), errors);
    if (request.apiId() == null) {
      errors.add(new FieldError("apiId", "is required"));
    } else if (!API_ID.matcher(request.apiId()).matches()) {
      errors.add(new FieldError("apiId", "must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
    }
    validateCommon(request, errors);
    Map<String, String> headers = keepStoredSecrets(request.headers(), Map.of(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.badRequest(summary(errors), errors);
    }
    return toRegistration(request.with(request.apiId(), headers, request.desiredState()), 1, now, now);
  }

  /**
   * Parses and validates a full replacement of {@code current} (PUT): the apiId is the path's, the
   * version is the next one, createdAt is kept.
   */
  public Registration replace(byte[] body, Registration current, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    RegistrationRequest request = keepStoredWebhooks(parse(body), current.getNotifyWebhooks(), errors);
    if (request.apiId() != null && !request.apiId().equals(current.getApiId())) {
      errors.add(new FieldError("apiId", "must be '" + current.getApiId() + "' (the id in the path) or absent"));
    }
    validateReadOnly(request, current, errors);
    validateCommon(request, errors);
    Map<String, String> headers = keepStoredSecrets(request.headers(), current.getHeaders(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.badRequest(summary(errors), errors);
    }
    // a PUT that leaves desiredState out keeps it: replacing the URL must not restart a stopped API
    DesiredState desired = request.desiredState() == null ? current.getDesiredState() : request.desiredState();
    return toRegistration(request.with(current.getApiId(), headers, desired), current.getVersion() + 1,
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

  /**
   * The headers to store: a value sent as {@value Redaction#MARKER} (as a read registration shows a
   * secret) keeps the stored value of that header; with none stored, it is refused — never stored or
   * sent literally.
   */
  private static Map<String, String> keepStoredSecrets(Map<String, String> sent, Map<String, String> stored,
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

  /**
   * The request with every webhook shown as a read registration shows it ({@link Redaction#webhook}) replaced
   * by the stored URL with that fingerprint; one with no such stored URL is refused — never stored as sent.
   */
  private static RegistrationRequest keepStoredWebhooks(RegistrationRequest request, List<String> stored,
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

  private static RegistrationRequest parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw ProblemException.badRequest("the request body is empty; send a JSON object", List.of());
    }
    try {
      RegistrationRequest request = MAPPER.readValue(body, RegistrationRequest.class);
      if (request == null) {
        throw ProblemException.badRequest("the request body must be a JSON object, not null", List.of());
      }
      return request;
    } catch (UnrecognizedPropertyException e) {
      throw ProblemException.badRequest("unknown field '" + e.getPropertyName() + "'",
          List.of(new FieldError(e.getPropertyName(), "is not a field of a registration; known fields: "
              + String.join(", ", FIELDS))));
    } catch (InvalidFormatException e) {
      String field = path(e);
      String shown = field.startsWith("headers") ? "" : " " + e.getValue(); // a header value may be a secret
      throw ProblemException.badRequest("field '" + field + "' has an invalid value",
          List.of(new FieldError(field, "invalid value" + shown + expected(e))));
    } catch (MismatchedInputException e) {
      String field = path(e);
      if (field.isEmpty()) {
        throw ProblemException.badRequest("the request body must be a JSON object", List.of());
      }
      throw ProblemException.badRequest("field '" + field + "' has the wrong type",
          List.of(new FieldError(field, "wrong JSON type" + expected(e))));
    } catch (JsonProcessingException e) {
      Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
      if (duplicate.matches()) {
        String field = duplicatePath(e, duplicate.group(1));
        throw ProblemException.badRequest("duplicate field '" + field + "'",
            List.of(new FieldError(field, "appears more than once; send each field once")));
      }
      throw ProblemException.badRequest("the request body is not valid JSON: "
          + withoutInput(String.valueOf(e.getOriginalMessage())) + location(e), List.of());
    } catch (IOException e) {
      throw ProblemException.badRequest("the request body could not be read: " + e.getMessage(), List.of());
    }
  }

  private void validateCommon(RegistrationRequest request, List<FieldError> errors) {
    validateUrl(request.url(), errors);
    if (request.pollIntervalMs() != null
        && (request.pollIntervalMs() < minIntervalMs || request.pollIntervalMs() > MAX_INTERVAL_MS)) {
      errors.add(new FieldError("pollIntervalMs", "must be between " + minIntervalMs + " and " + MAX_INTERVAL_MS
          + " milliseconds, was " + request.pollIntervalMs()));
    }
    if (request.headers() != null && request.headers().size() > MAX_HEADERS) {
      errors.add(new FieldError("headers", "must have at most " + MAX_HEADERS + " headers, has "
          + request.headers().size()));
    } else if (request.headers() != null) {
      request.headers().forEach((name, value) -> validateHeader(name, value, errors));
      request.headers().forEach((name, value) -> validateSecretReferences(name, value, errors));
    }
    if (request.jsonPointer() != null && request.jsonPointer().length() > MAX_JSON_POINTER_LENGTH) {
      errors.add(new FieldError("jsonPointer", "must be at most " + MAX_JSON_POINTER_LENGTH + " characters"));
    } else if (request.jsonPointer() != null && !request.jsonPointer().isEmpty() && !request.jsonPointer().startsWith("/")) {
      errors.add(new FieldError("jsonPointer", "must be an RFC 6901 JSON Pointer: empty or starting with '/'"));
    }
    ChangeRules.validate(request.jsonPointer(), request.select(), request.ignore(),
            request.unorderedArrays(), request.arrayKeys())
        .forEach(problem -> errors.add(new FieldError(problem.field(), problem.message())));
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
        validateUrl(hook, hookErrors, "notifyWebhooks[" + i + "]");
        int index = i;
        hookErrors.forEach(error -> errors.add(new FieldError("notifyWebhooks[" + index + "]", error.message())));
      }
    }
    if (request.notifyChannels() != null) {
      validateChannels(request.notifyChannels(), errors);
    }
    AlertRules.validate(request, errors);
    checkAddresses(request, errors);
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

  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

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

  private void validateUrl(String url, List<FieldError> errors) {
    validateUrl(url, errors, "url");
  }

  private void validateUrl(String url, List<FieldError> errors, String field) {
    validateSyntax(url, errors);
  }

  /** Address checks resolve DNS, so they run only for an otherwise valid request. */
  private void checkAddresses(RegistrationRequest request, List<FieldError> errors) {
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

  private static void validateSyntax(String url, List<FieldError> errors) {
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

  static Registration toRegistration(RegistrationRequest request, long version, Instant createdAt, Instant updatedAt) {
    return Registration.newBuilder()
        .setApiId(request.apiId())
        .setUrl(request.url())
        .setMode(request.mode() == null ? ApiMode.POLL : request.mode())
        .setPollIntervalMs(request.pollIntervalMs() == null ? 60_000 : request.pollIntervalMs())
        .setHeaders(request.headers() == null ? Map.of() : new HashMap<>(request.headers()))
        .setJsonPointer(request.jsonPointer() == null || request.jsonPointer().isEmpty() ? null : request.jsonPointer())
        .setDesiredState(request.desiredState() == null ? DesiredState.RUNNING : request.desiredState())
        .setNotifyWebhooks(request.notifyWebhooks() == null ? List.of() : List.copyOf(request.notifyWebhooks()))
        .setAlertOnChange(request.alertOnChange() != null && request.alertOnChange())
        .setNotifyChannels(request.notifyChannels() == null ? List.of() : List.copyOf(request.notifyChannels()))
        .setVersion(version)
        .setCreatedAt(createdAt)
        .setUpdatedAt(updatedAt)
        .setIgnore(request.ignore() == null ? List.of() : List.copyOf(request.ignore()))
        .setSelect(request.select() == null ? List.of() : List.copyOf(request.select()))
        .setUnorderedArrays(request.unorderedArrays() == null ? List.of() : List.copyOf(request.unorderedArrays()))
        .setArrayKeys(request.arrayKeys() == null ? Map.of() : new LinkedHashMap<>(request.arrayKeys()))
        .setRules(AlertRules.toRules(request.rules()))
        .setSilences(AlertRules.toRanges(request.silences()))
        .setSchedule(AlertRules.toSchedule(request.schedule()))
        .build();
  }

  private static String summary(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
  }

  /** The dotted path of a duplicated key, from the parser's context when the duplicate was read. */
  private static String duplicatePath(JsonProcessingException e, String name) {
    List<String> parts = new ArrayList<>(List.of(name));
    if (e.getProcessor() instanceof JsonParser parser) {
      for (JsonStreamContext context = parser.getParsingContext().getParent();
           context != null && !context.inRoot(); context = context.getParent()) {
        if (context.inArray()) {
          parts.addFirst("[" + context.getCurrentIndex() + "]");
        } else if (context.getCurrentName() != null) {
          parts.addFirst(context.getCurrentName());
        }
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  private static String expected(MismatchedInputException e) {
    Class<?> target = e.getTargetType();
    if (target == null) {
      return "";
    }
    if (target.isEnum()) {
      return "; expected one of " + Arrays.toString(target.getEnumConstants());
    }
    if (target == Long.class || target == long.class || target == Integer.class) {
      return "; expected an integer";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "; expected true or false";
    }
    if (target == String.class) {
      return "; expected a string";
    }
    if (Map.class.isAssignableFrom(target)) {
      return "; expected an object of string values";
    }
    if (List.class.isAssignableFrom(target)) {
      return "; expected an array of strings";
    }
    return "; expected " + target.getSimpleName();
  }

  /**
   * A parser message without the text it quotes from the body ("Unrecognized token 'sk_live_…'"): an
   * unquoted header value is a secret all the same. Single characters and JSON literals stay.
   */
  static String withoutInput(String message) {
    return QUOTED_INPUT.matcher(message).replaceAll(quoted -> quoted.group().matches("'(?:null|true|false)'")
        ? quoted.group() : "'…'");
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .build();
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }
}
