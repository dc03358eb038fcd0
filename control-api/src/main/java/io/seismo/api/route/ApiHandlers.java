package io.seismo.api.route;

import static io.seismo.api.route.QueryParams.MAX_INSTANT;
import static io.seismo.api.route.QueryParams.MIN_INSTANT;
import static io.seismo.api.route.QueryParams.cursorParam;
import static io.seismo.api.route.QueryParams.enumParam;
import static io.seismo.api.route.QueryParams.instantParam;
import static io.seismo.api.route.QueryParams.intParam;
import static io.seismo.api.route.QueryParams.windowParam;

import io.javalin.http.Context;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.LogPage;
import io.seismo.api.query.RecentChanges;
import io.seismo.api.query.StoreQueries;
import io.seismo.api.registration.Registrations;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Execution;
import io.seismo.schemas.Incident;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Source;
import io.seismo.schemas.schedule.ScheduleSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Reads of what the topology made of an API ({@code /apis/{id}/status}, {@code document}, {@code changes},
 * {@code logs}, {@code incidents}, {@code metrics}) from the state stores of the instance owning it, and the
 * internal store endpoint through which instances ask each other. Access is declared on the routes.
 */
public final class ApiHandlers {

  private static final Map<String, Serde<?>> QUERYABLE = Map.of(
      StoreNames.STATUS, Topics.STATUS.valueSerde(),
      StoreNames.DOCUMENTS, Serdes.ByteArray());
  private static final int MAX_WINDOWS = 1_500;

  private final Registrations registrations;
  private final StoreQueries queries;
  private final RecentChanges recentChanges;
  private final Clock clock;

  public ApiHandlers(Registrations registrations, StoreQueries queries, Clock clock) {
    this.registrations = registrations;
    this.queries = queries;
    this.recentChanges = new RecentChanges(queries);
    this.clock = clock;
  }

  /** GET /apis/{id}/status: state, all-time counters and efficiency. */
  public void status(Context ctx) {
    String apiId = knownApi(ctx.pathParam("id"));
    ApiStatus status = queries.get(StoreNames.STATUS, apiId, Topics.STATUS.valueSerde(), ctx.header("Authorization"))
        .orElseThrow(() -> ProblemException.notFound("no API with apiId '" + apiId + "'"));
    ctx.json(Views.StatusView.of(status).withSchedule(registrations.get(apiId).map(Registration::getSchedule).orElse(null),
        clock.instant()));
  }

  /** GET /apis/{id}/document: the last document, canonical JSON. */
  public void document(Context ctx) {
    String apiId = knownApi(ctx.pathParam("id"));
    byte[] document = queries.get(StoreNames.DOCUMENTS, apiId, Serdes.ByteArray(), ctx.header("Authorization"))
        .orElseThrow(() -> ProblemException.notFound("no JSON document for apiId '" + apiId
            + "' (unknown API, not sampled yet, or its last payload was not JSON)"));
    ctx.contentType("application/json").result(document);
  }

  /** GET /apis/{id}/changes?limit=20: the most recent changes, newest first. */
  public void changes(Context ctx) {
    String apiId = ctx.pathParam("id");
    int limit = intParam(ctx, "limit", 20, 1, 20);
    List<Change> changes = recentChanges.newestFirst(apiId, ctx.header("Authorization"));
    if (changes.isEmpty()) {
      knownApi(apiId); // 404 for an API that does not exist
    }
    ctx.json(Map.of("apiId", apiId, "items", changes.stream().limit(limit).map(Views.ChangeView::of).toList()));
  }

  /**
   * GET /apis/{id}/incidents: where each alert rule stands (OK, PENDING, OPEN, RECOVERING), open ones
   * first; from the incidents store of the instance owning the API.
   */
  public void incidents(Context ctx) {
    String apiId = knownApi(ctx.pathParam("id"));
    HostInfo owner = queries.owner(StoreNames.INCIDENTS, apiId);
    if (!queries.isSelf(owner)) {
      relay(ctx, owner);
      return;
    }
    Registration registration = registrations.get(apiId).orElseThrow();
    Set<String> ruleIds = new HashSet<>();
    registration.getRules().forEach(rule -> ruleIds.add(rule.getId()));
    List<Views.IncidentView> items = queries.<Incident>localRange(StoreNames.INCIDENTS,
            apiId + "\u0000", apiId + "\u0000\uffff").stream()
        .filter(incident -> ruleIds.contains(incident.getRuleId()))
        .map(Views.IncidentView::of)
        .sorted(Comparator.comparing(Views.IncidentView::open).reversed()
            .thenComparing(Views.IncidentView::ruleId))
        .toList();
    ctx.json(Map.of("apiId", apiId, "items", items,
        "schedule", ScheduleSpec.of(registration.getSchedule()).describe(clock.instant())));
  }

  /**
   * GET /apis/{id}/logs?limit=50&from=&to=&source=poll|sse&cursor=: the execution log, newest first,
   * paged with the {@code next} cursor of the previous page.
   */
  public void logs(Context ctx) {
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

  private void relay(Context ctx, HostInfo owner) {
    String query = ctx.queryString();
    StoreQueries.Relayed relayed = queries.forward(owner, ctx.path() + (query == null ? "" : "?" + query),
        ctx.header("Authorization"), ctx.header(StoreQueries.FORWARDED_HEADER) != null);
    ctx.status(relayed.status()).contentType(relayed.contentType()).result(relayed.body());
  }

  /** GET /apis/{id}/metrics?window=1m|1h|1d&from=&to=: window aggregates, oldest first. */
  public void metrics(Context ctx) {
    String apiId = ctx.pathParam("id");
    TimeWindow window = windowParam(ctx, TimeWindow.ONE_MINUTE);
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

  /** {@code apiId} if it is registered: 503 while the registrations load, 404 if not. */
  private String knownApi(String apiId) {
    registrations.require(apiId);
    return apiId;
  }
}
