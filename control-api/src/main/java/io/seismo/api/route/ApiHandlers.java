package io.seismo.api.route;

import io.javalin.http.Context;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.LogPage;
import io.seismo.api.query.RecentChanges;
import io.seismo.api.query.StoreQueryService;
import io.seismo.api.registration.RegistrationValidator;
import io.seismo.api.registration.RegistrationWriter;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Execution;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Source;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.HostInfo;

/** Handlers of the {@code /apis} resources, wired as method references in {@code ControlApi}. */
public final class ApiHandlers {

  private static final Map<String, Serde<?>> QUERYABLE = Map.of(
      StoreNames.STATUS, Topics.STATUS.valueSerde(),
      StoreNames.DOCUMENTS, Serdes.ByteArray());
  private static final int MAX_PAGE = 500;
  private static final int MAX_WINDOWS = 1_500;
  /** Bounds of from/to: window stores key by epoch milliseconds, so nothing before 1970 or past year 9999. */
  static final Instant MIN_INSTANT = Instant.EPOCH;
  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");

  private final TokenAuth auth;
  private final RegistrationValidator validator;
  private final RegistrationWriter writer;
  private final RegistrationTable table;
  private final StoreQueryService queries;
  private final RecentChanges recentChanges;
  private final Clock clock;

  public ApiHandlers(TokenAuth auth, RegistrationValidator validator, RegistrationWriter writer,
                     RegistrationTable table, StoreQueryService queries, Clock clock) {
    this.auth = auth;
    this.validator = validator;
    this.writer = writer;
    this.table = table;
    this.queries = queries;
    this.recentChanges = new RecentChanges(queries);
    this.clock = clock;
  }

  /** POST /apis: register a new API. 201 with Location and ETag; 409 if the id is taken. */
  public void create(Context ctx) {
    auth.requireWrite(ctx);
    requireJson(ctx);
    Registration registration = validator.create(ctx.bodyAsBytes(), clock.instant());
    requireLoaded();
    writer.write(registration.getApiId(), table, () -> {
      if (table.get(registration.getApiId()).isPresent()) {
        throw ProblemException.conflict("an API with apiId '" + registration.getApiId()
            + "' is already registered; use PUT /apis/" + registration.getApiId() + " to change it");
      }
      return registration;
    });
    ctx.status(201)
        .header("Location", "/apis/" + registration.getApiId())
        .header("ETag", etag(registration))
        .json(Views.RegistrationView.of(registration));
  }

  /** GET /apis?state=RUNNING|STOPPED&limit=50&after=<apiId>: registrations in apiId order, paged. */
  public void list(Context ctx) {
    auth.requireRead(ctx);
    requireLoaded();
    int limit = intParam(ctx, "limit", 50, 1, MAX_PAGE);
    DesiredState state = enumParam(ctx, "state", DesiredState.class);
    boolean withStatus = includeStatus(ctx);
    List<Registration> page = table.page(ctx.queryParam("after"), limit, state);
    String authorization = ctx.header("Authorization");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.stream().map(registration -> withStatus
        ? new Views.ListedApi(Views.RegistrationView.of(registration), statusOrNull(registration.getApiId(), authorization))
        : Views.RegistrationView.of(registration)).toList());
    body.put("next", page.size() == limit ? page.getLast().getApiId() : null);
    ctx.json(body);
  }

  private static boolean includeStatus(Context ctx) {
    String include = ctx.queryParam("include");
    if (include == null || include.isEmpty()) {
      return false;
    }
    if (!include.equals("status")) {
      throw ProblemException.badRequest("unknown include '" + include + "'",
          List.of(new FieldError("include", "must be 'status'")));
    }
    return true;
  }

  /** The status for a list entry: null when the API has not been analysed yet or its owner cannot answer now. */
  private Views.StatusView statusOrNull(String apiId, String authorization) {
    try {
      return queries.get(StoreNames.STATUS, apiId, Topics.STATUS.valueSerde(), authorization)
          .map(Views.StatusView::of).orElse(null);
    } catch (ProblemException unavailable) {
      return null;
    }
  }

  /** GET /apis/{id}. */
  public void get(Context ctx) {
    auth.requireRead(ctx);
    Registration registration = existing(ctx);
    ctx.header("ETag", etag(registration)).json(Views.RegistrationView.of(registration));
  }

  /** PUT /apis/{id} with If-Match: replace the registration. 428 without If-Match, 412 on a stale one. */
  public void replace(Context ctx) {
    auth.requireWrite(ctx);
    requireJson(ctx);
    byte[] body = ctx.bodyAsBytes();
    Registration[] next = new Registration[1];
    writer.write(existing(ctx).getApiId(), table, () -> {
      Registration current = existing(ctx);
      requireMatch(ctx, current);
      next[0] = validator.replace(body, current, clock.instant());
      return next[0];
    });
    ctx.header("ETag", etag(next[0])).json(Views.RegistrationView.of(next[0]));
  }

  /** DELETE /apis/{id} with If-Match: a tombstone on the control topic; the API stops and its state goes. */
  public void delete(Context ctx) {
    auth.requireWrite(ctx);
    writer.write(existing(ctx).getApiId(), table, () -> {
      requireMatch(ctx, existing(ctx));
      return null; // a tombstone
    });
    ctx.status(204);
  }

  /** POST /apis/{id}/start. */
  public void start(Context ctx) {
    changeDesiredState(ctx, DesiredState.RUNNING);
  }

  /** POST /apis/{id}/stop. */
  public void stop(Context ctx) {
    changeDesiredState(ctx, DesiredState.STOPPED);
  }

  private void changeDesiredState(Context ctx, DesiredState desired) {
    auth.requireWrite(ctx);
    Registration next;
    try {
      Registration[] written = new Registration[1];
      writer.write(existing(ctx).getApiId(), table, () -> {
        Registration current = existing(ctx);
        if (ctx.header("If-Match") != null) {
          requireMatch(ctx, current);
        }
        if (current.getDesiredState() == desired) {
          throw new Unchanged(current);
        }
        written[0] = Registration.newBuilder(current)
            .setDesiredState(desired)
            .setVersion(current.getVersion() + 1)
            .setUpdatedAt(Instant.now(clock))
            .build();
        return written[0];
      });
      next = written[0];
    } catch (Unchanged unchanged) { // idempotent: no new version, nothing written
      next = unchanged.current;
    }
    ctx.header("ETag", etag(next)).json(Views.RegistrationView.of(next));
  }

  /** GET /apis/{id}/status: state, all-time counters and efficiency. */
  public void status(Context ctx) {
    auth.requireRead(ctx);
    String apiId = knownApi(ctx.pathParam("id"));
    ApiStatus status = queries.get(StoreNames.STATUS, apiId, Topics.STATUS.valueSerde(), ctx.header("Authorization"))
        .orElseThrow(() -> ProblemException.notFound("no API with apiId '" + apiId + "'"));
    ctx.json(Views.StatusView.of(status).withSchedule(table.get(apiId).map(Registration::getSchedule).orElse(null),
        clock.instant()));
  }

  /** GET /apis/{id}/document: the last document, canonical JSON. */
  public void document(Context ctx) {
    auth.requireRead(ctx);
    String apiId = knownApi(ctx.pathParam("id"));
    byte[] document = queries.get(StoreNames.DOCUMENTS, apiId, Serdes.ByteArray(), ctx.header("Authorization"))
        .orElseThrow(() -> ProblemException.notFound("no JSON document for apiId '" + apiId
            + "' (unknown API, not sampled yet, or its last payload was not JSON)"));
    ctx.contentType("application/json").result(document);
  }

  /** GET /apis/{id}/changes?limit=20: the most recent changes, newest first. */
  public void changes(Context ctx) {
    auth.requireRead(ctx);
    String apiId = ctx.pathParam("id");
    int limit = intParam(ctx, "limit", 20, 1, 20);
    List<Change> changes = recentChanges.newestFirst(apiId, ctx.header("Authorization"));
    if (changes.isEmpty()) {
      knownApi(apiId); // 404 for an API that does not exist
    }
    ctx.json(Map.of("apiId", apiId, "items", changes.stream().limit(limit).map(Views.ChangeView::of).toList()));
  }

  /** GET /apis/{id}/logs?limit=50: the most recent executions, newest first. */
  /**
   * GET /apis/{id}/incidents: where each alert rule stands (OK, PENDING, OPEN, RECOVERING), open ones
   * first; from the incidents store of the instance owning the API.
   */
  public void incidents(Context ctx) {
    auth.requireRead(ctx);
    String apiId = knownApi(ctx.pathParam("id"));
    HostInfo owner = queries.owner(StoreNames.INCIDENTS, apiId);
    if (!queries.isSelf(owner)) {
      relay(ctx, owner);
      return;
    }
    Registration registration = table.get(apiId).orElseThrow();
    java.util.Set<String> ruleIds = new java.util.HashSet<>();
    registration.getRules().forEach(rule -> ruleIds.add(rule.getId()));
    List<Views.IncidentView> items = queries.<io.seismo.schemas.Incident>localRange(StoreNames.INCIDENTS,
            apiId + "\u0000", apiId + "\u0000\uffff").stream()
        .filter(incident -> ruleIds.contains(incident.getRuleId()))
        .map(Views.IncidentView::of)
        .sorted(java.util.Comparator.comparing(Views.IncidentView::open).reversed()
            .thenComparing(Views.IncidentView::ruleId))
        .toList();
    ctx.json(Map.of("apiId", apiId, "items", items,
        "schedule", io.seismo.schemas.schedule.ScheduleSpec.of(registration.getSchedule()).describe(clock.instant())));
  }

  /**
   * GET /apis/{id}/logs?limit=50&from=&to=&source=poll|sse&cursor=: the execution log, newest first,
   * paged with the {@code next} cursor of the previous page.
   */
  public void logs(Context ctx) {
    auth.requireRead(ctx);
    String apiId = knownApi(ctx.pathParam("id"));
    int limit = intParam(ctx, "limit", 50, 1, RingKeys.EXECUTIONS.slots());
    Instant from = instantParam(ctx, "from", MIN_INSTANT);
    Instant to = instantParam(ctx, "to", MAX_INSTANT);
    if (from.isAfter(to)) {
      throw ProblemException.badRequest("'from' is after 'to'", List.of(new FieldError("from", "must not be after 'to'")));
    }
    Source source = enumParam(ctx, "source", Source.class);
    LogPage.Cursor cursor = cursorParam(ctx);
    HostInfo owner = queries.owner(StoreNames.EXECUTIONS, apiId);
    if (!queries.isSelf(owner)) {
      relay(ctx, owner);
      return;
    }
    List<Execution> entries = queries.localRange(StoreNames.EXECUTIONS, RingKeys.EXECUTIONS.from(apiId),
        RingKeys.EXECUTIONS.to(apiId));
    LogPage page = LogPage.of(entries, new LogPage.Query(from, to, Optional.ofNullable(source),
        Optional.ofNullable(cursor), limit));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiId", apiId);
    body.put("items", page.items().stream().map(Views.ExecutionView::of).toList());
    body.put("next", page.next().orElse(null));
    ctx.json(body);
  }

  private static LogPage.Cursor cursorParam(Context ctx) {
    String raw = ctx.queryParam("cursor");
    try {
      return raw == null ? null : LogPage.Cursor.parse(raw);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("query parameter 'cursor' " + e.getMessage().replace("not ", "is not "),
          List.of(new FieldError("cursor", e.getMessage())));
    }
  }

  private void relay(Context ctx, HostInfo owner) {
    String query = ctx.queryString();
    StoreQueryService.Relayed relayed = queries.forward(owner, ctx.path() + (query == null ? "" : "?" + query),
        ctx.header("Authorization"), ctx.header(StoreQueryService.FORWARDED_HEADER) != null);
    ctx.status(relayed.status()).contentType(relayed.contentType()).result(relayed.body());
  }

  /** GET /apis/{id}/metrics?window=1m|1h|1d&from=&to=: window aggregates, oldest first. */
  public void metrics(Context ctx) {
    auth.requireRead(ctx);
    String apiId = ctx.pathParam("id");
    TimeWindow window = windowParam(ctx);
    Instant to = instantParam(ctx, "to", clock.instant());
    Instant defaultFrom = to.minus(window.size().multipliedBy(60));
    Instant from = instantParam(ctx, "from", defaultFrom.isBefore(MIN_INSTANT) ? MIN_INSTANT : defaultFrom);
    if (from.isAfter(to)) {
      throw ProblemException.badRequest("'from' is after 'to'", List.of(new FieldError("from", "must not be after 'to'")));
    }
    if (Duration.between(from, to).dividedBy(window.size()) > MAX_WINDOWS) {
      throw ProblemException.badRequest("at most " + MAX_WINDOWS + " windows per request",
          List.of(new FieldError("from", "range too long for window " + window.label())));
    }
    knownApi(apiId);
    String store = StoreNames.metrics(window);
    HostInfo owner = queries.owner(store, apiId);
    if (!queries.isSelf(owner)) {
      relay(ctx, owner);
      return;
    }
    List<Views.MetricsView> items = queries.<ApiMetrics>localWindows(store, apiId, from, to).stream()
        .map(kv -> Views.MetricsView.of(kv.value)).toList();
    ctx.json(Map.of("apiId", apiId, "window", window.label(), "from", from, "to", to, "items", items));
  }

  /** GET /internal/stores/{store}/{key}: serialized value of a key this instance owns, for other instances. */
  public void internalStore(Context ctx) {
    auth.requireRead(ctx);
    String store = ctx.pathParam("store");
    if (store.equals(StoreNames.RECENT_CHANGES)) {
      ctx.contentType("application/octet-stream").result(recentChanges.localBytes(ctx.pathParam("key")));
      return;
    }
    Serde<?> serde = QUERYABLE.get(store);
    if (serde == null) {
      throw ProblemException.notFound("no queryable store '" + store + "'");
    }
    byte[] bytes = queries.localBytes(store, ctx.pathParam("key"), serde)
        .orElseThrow(() -> ProblemException.notFound("no key '" + ctx.pathParam("key") + "' in " + store));
    ctx.contentType("application/octet-stream").result(bytes);
  }

  /** The desired state already is the one asked for: nothing to write. */
  private static final class Unchanged extends RuntimeException {
    private final transient Registration current;

    Unchanged(Registration current) {
      super(null, null, false, false);
      this.current = current;
    }
  }

  private String knownApi(String apiId) {
    requireLoaded();
    if (table.get(apiId).isEmpty()) {
      throw ProblemException.notFound("no API with apiId '" + apiId + "'");
    }
    return apiId;
  }

  private Registration existing(Context ctx) {
    String apiId = ctx.pathParam("id");
    requireLoaded();
    return table.get(apiId).orElseThrow(() -> ProblemException.notFound("no API with apiId '" + apiId + "'"));
  }

  private void requireLoaded() {
    if (!table.loaded()) {
      throw ProblemException.unavailable("registrations are still loading; retry shortly");
    }
  }

  /** Writes carry JSON: application/json (or a +json type), any charset parameter being UTF-8. 415 otherwise. */
  static void requireJson(Context ctx) {
    String contentType = ctx.header("Content-Type");
    String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
    String mediaType = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
    boolean json = mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    for (int i = 1; i < parts.length && json; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].strip().equalsIgnoreCase("charset") && (parameter.length < 2
          || !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
        json = false;
      }
    }
    if (!json) {
      throw new ProblemException(415, "unsupported-media-type", "Unsupported media type",
          "send the registration as Content-Type: application/json, not "
              + (contentType == null ? "without a Content-Type"
                  : "'" + (contentType.length() > 100 ? contentType.substring(0, 100) + "…" : contentType) + "'"), List.of(),
          java.util.Optional.empty());
    }
  }

  static void requireMatch(Context ctx, Registration current) {
    String ifMatch = ctx.header("If-Match");
    if (ifMatch == null) {
      throw new ProblemException(428, "precondition-required", "Precondition required",
          "send If-Match: " + etag(current) + " (the ETag of the registration you are changing)", List.of(),
          java.util.Optional.empty());
    }
    if (!matches(ifMatch, etag(current))) {
      throw new ProblemException(412, "precondition-failed", "Precondition failed",
          "the registration changed: its ETag is now " + etag(current) + ", not " + ifMatch.strip(), List.of(),
          java.util.Optional.empty());
    }
  }

  /**
   * RFC 9110 13.1.1: If-Match is {@code *} or a comma-separated list of entity tags, compared strongly —
   * any member equal to the current (strong) ETag matches; a weak tag {@code W/"1"} never does.
   */
  static boolean matches(String ifMatch, String current) {
    if (ifMatch.strip().equals("*")) {
      return true;
    }
    for (String member : ifMatch.split(",")) {
      if (member.strip().equals(current)) {
        return true;
      }
    }
    return false;
  }

  private static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignoredBecauseReportedBelow) {
      // reported below with the accepted range
    }
    throw ProblemException.badRequest("query parameter '" + name + "' must be an integer from " + min + " to " + max,
        List.of(new FieldError(name, "must be an integer from " + min + " to " + max + ", was '" + raw + "'")));
  }

  private static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, raw.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("query parameter '" + name + "' must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()), List.of(new FieldError(name, "unknown value '" + raw + "'")));
    }
  }

  static TimeWindow windowParam(Context ctx) {
    String raw = ctx.queryParam("window");
    try {
      return raw == null ? TimeWindow.ONE_MINUTE : TimeWindow.parse(raw);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(e.getMessage(), List.of(new FieldError("window", e.getMessage())));
    }
  }

  static Instant instantParam(Context ctx, String name, Instant defaultValue) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      Instant instant = Instant.parse(raw);
      if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
        throw ProblemException.badRequest("query parameter '" + name + "' must be from " + MIN_INSTANT + " to " + MAX_INSTANT,
            List.of(new FieldError(name, "out of range: '" + raw + "'")));
      }
      return instant;
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("query parameter '" + name + "' must be an ISO-8601 instant like 2026-11-24T12:00:00Z",
          List.of(new FieldError(name, "not an ISO-8601 instant: '" + raw + "'")));
    }
  }

  /**
   * The version and the creation time: versions start again at 1 when an apiId is deleted and registered
   * again, so the version alone would let an If-Match of the deleted registration change the new one.
   */
  static String etag(Registration registration) {
    return "\"" + registration.getVersion() + "-" + registration.getCreatedAt().toEpochMilli() + "\"";
  }
}
