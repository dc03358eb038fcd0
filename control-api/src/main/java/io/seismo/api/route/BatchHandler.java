package io.seismo.api.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.seismo.api.error.Problem;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.registration.RegistrationValidator;
import io.seismo.api.registration.RegistrationWriter;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Registration;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code POST /apis:batch}: validates up to {@value #MAX_ITEMS} new registrations as {@code POST /apis} does and,
 * if every one is valid, writes them through the {@link RegistrationWriter} (409 per item already registered).
 */
public final class BatchHandler {

  /** Items per request: bounds the work (and the rate limiter's blind spot) of one request. */
  public static final int MAX_ITEMS = 1_000;
  /** Body bytes per request: 1,000 registrations of up to 4 KiB each. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  /** Bytes of a refused body read and dropped before the 413 is sent; a longer one is answered without reading it. */
  static final int DRAIN_BYTES = 2 * MAX_BYTES;
  /** Field errors listed in one 400: the rest are counted, so a wholly wrong file gives a readable answer. */
  static final int MAX_ERRORS = 100;

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .build();

  private final RegistrationValidator validator;
  private final RegistrationWriter writer;
  private final RegistrationTable table;
  private final Clock clock;

  public BatchHandler(RegistrationValidator validator, RegistrationWriter writer, RegistrationTable table, Clock clock) {
    this.validator = validator;
    this.writer = writer;
    this.table = table;
    this.clock = clock;
  }

  /** POST /apis:batch with {"items": [registration, …]}. */
  public void create(Context ctx) {
    Preconditions.requireJson(ctx);
    List<JsonNode> items = items(readBody(ctx));
    Instant now = clock.instant();
    List<Registration> registrations = validate(items, now);
    if (!table.loaded()) {
      throw ProblemException.unavailable("registrations are still loading; retry shortly");
    }
    Map<String, RegistrationWriter.Created> written = writer.createAll(registrations, table);
    List<Map<String, Object>> results = new ArrayList<>(registrations.size());
    Map<RegistrationWriter.Outcome, Integer> counts = new HashMap<>();
    ProblemException firstFailure = null;
    for (Registration registration : registrations) {
      RegistrationWriter.Created outcome = written.get(registration.getApiId());
      counts.merge(outcome.outcome(), 1, Integer::sum);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("apiId", registration.getApiId());
      switch (outcome.outcome()) {
        case CREATED -> {
          result.put("status", 201);
          result.put("etag", Preconditions.etag(registration));
        }
        case TAKEN -> {
          result.put("status", 409);
          result.put("detail", "an API with apiId '" + registration.getApiId() + "' is already registered; use PUT /apis/"
              + registration.getApiId() + " to change it");
        }
        case FAILED -> {
          firstFailure = firstFailure == null ? outcome.problem() : firstFailure;
          result.put("status", outcome.problem().status());
          result.put("detail", outcome.problem().getMessage());
        }
      }
      results.add(result);
    }
    if (firstFailure != null && counts.getOrDefault(RegistrationWriter.Outcome.FAILED, 0) == registrations.size()) {
      throw firstFailure; // nothing was written: the whole request failed, and may be retried as it is
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("created", counts.getOrDefault(RegistrationWriter.Outcome.CREATED, 0));
    body.put("conflicts", counts.getOrDefault(RegistrationWriter.Outcome.TAKEN, 0));
    body.put("failed", counts.getOrDefault(RegistrationWriter.Outcome.FAILED, 0));
    body.put("items", results);
    ctx.json(body);
  }

  /** The body, refused with 413 beyond {@link #MAX_BYTES} (read from the stream: Javalin's limit is the single item's). */
  private static byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared > MAX_BYTES) {
        throw tooLarge(in, declared <= DRAIN_BYTES);
      }
      byte[] body = in.readNBytes(MAX_BYTES + 1);
      if (body.length > MAX_BYTES) {
        throw tooLarge(in, true);
      }
      return body;
    } catch (IOException e) {
      throw ProblemException.badRequest("the request body could not be read: " + e.getMessage(), List.of());
    }
  }

  /**
   * The 413, once what is left of the body has been read and dropped (up to {@link #DRAIN_BYTES}, when
   * {@code drain}): a connection closed on unread bytes is reset, and the client can lose the answer with it.
   */
  private static ProblemException tooLarge(InputStream in, boolean drain) throws IOException {
    byte[] dropped = new byte[64 * 1024];
    long left = drain ? DRAIN_BYTES : 0;
    int read;
    while (left > 0 && (read = in.read(dropped, 0, (int) Math.min(dropped.length, left))) >= 0) {
      left -= read;
    }
    return tooLarge();
  }

  private static ProblemException tooLarge() {
    return ProblemException.tooLarge("a batch body is limited to " + MAX_BYTES + " bytes; send at most " + MAX_ITEMS
        + " registrations per request");
  }

  private static List<JsonNode> items(byte[] body) {
    if (body.length == 0) {
      throw ProblemException.badRequest("the request body is empty; send {\"items\": [registration, …]}", List.of());
    }
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      String message = String.valueOf(e.getOriginalMessage());
      Matcher duplicate = Pattern.compile("Duplicate (?:field|Object property) '(.*)'",
          Pattern.DOTALL).matcher(message);
      throw ProblemException.badRequest(duplicate.matches()
          ? "duplicate field '" + duplicate.group(1) + "'" + location(e) + "; send each field once"
          : "the request body is not valid JSON" + location(e), List.of());
    } catch (IOException e) {
      throw ProblemException.badRequest("the request body could not be read: " + e.getMessage(), List.of());
    }
    if (root == null || !root.isObject()) {
      throw ProblemException.badRequest("the request body must be a JSON object {\"items\": [registration, …]}", List.of());
    }
    List<String> unknown = new ArrayList<>();
    root.fieldNames().forEachRemaining(name -> {
      if (!name.equals("items")) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      throw ProblemException.badRequest("unknown field '" + unknown.getFirst() + "'",
          List.of(new FieldError(unknown.getFirst(), "is not a field of a batch; known fields: items")));
    }
    JsonNode items = root.get("items");
    if (items == null || !items.isArray()) {
      throw ProblemException.badRequest("field 'items' must be an array of registrations",
          List.of(new FieldError("items", items == null ? "is required" : "wrong JSON type; expected an array")));
    }
    if (items.isEmpty() || items.size() > MAX_ITEMS) {
      throw ProblemException.badRequest("a batch has from 1 to " + MAX_ITEMS + " items, this one " + items.size(),
          List.of(new FieldError("items", "must have from 1 to " + MAX_ITEMS + " items, has " + items.size())));
    }
    List<JsonNode> list = new ArrayList<>(items.size());
    items.forEach(list::add);
    return list;
  }

  /** Each item as POST /apis validates it; every error of every item, prefixed with its index. */
  private List<Registration> validate(List<JsonNode> items, Instant now) {
    List<Registration> registrations = new ArrayList<>(items.size());
    List<FieldError> errors = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String prefix = "items[" + i + "]";
      try {
        Registration registration = validator.create(STRICT.writeValueAsBytes(items.get(i)), now);
        Integer first = seen.putIfAbsent(registration.getApiId(), i);
        if (first != null) {
          errors.add(new FieldError(prefix + ".apiId", "is the apiId of items[" + first + "] too; each apiId once"));
        }
        registrations.add(registration);
      } catch (ProblemException e) {
        Problem problem = e.toProblem("");
        if (problem.errors().isEmpty()) {
          errors.add(new FieldError(prefix, problem.detail()));
        } else {
          problem.errors().forEach(error -> errors.add(new FieldError(prefix + "." + error.field(), error.message())));
        }
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e); // a tree read from JSON always writes back
      }
    }
    if (!errors.isEmpty()) {
      List<FieldError> shown = errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors;
      String more = errors.size() > MAX_ERRORS ? "; and " + (errors.size() - MAX_ERRORS) + " more errors" : "";
      throw ProblemException.badRequest("nothing was registered: "
          + shown.stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; ")) + more,
          shown);
    }
    return registrations;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
