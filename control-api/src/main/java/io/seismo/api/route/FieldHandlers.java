package io.seismo.api.route;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.StoreQueries;
import io.seismo.api.registration.Registrations;
import io.seismo.schemas.FieldChanges;
import io.seismo.schemas.FieldFrequency;
import io.seismo.schemas.Registration;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.change.ChangeRules;
import io.seismo.topology.change.FieldTable;
import io.seismo.topology.change.VolatileFields;
import io.seismo.topology.store.StoreNames;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Per-field change frequency ({@code GET /apis/{id}/fields}) and the one call that adds suggested ignore
 * rules ({@code POST /apis/{id}/ignore}).
 */
public final class FieldHandlers {

  private static final int MAX_WINDOWS = 1_500;
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private final Registrations registrations;
  private final StoreQueries queries;
  private final Clock clock;

  public FieldHandlers(Registrations registrations, StoreQueries queries, Clock clock) {
    this.registrations = registrations;
    this.queries = queries;
    this.clock = clock;
  }

  /** One path of a window or of the range, with the share of the (JSON) samples it changed in. */
  record PathView(String path, long changes, double share) {}

  record WindowView(String apiId, String window, Instant start, Instant end, long samples, long changes,
                    long notJsonSamples, List<PathView> paths, long otherChanges, long otherPaths) {
    static WindowView of(FieldFrequency f) {
      return new WindowView(f.getApiId(), f.getWindow(), Instant.ofEpochMilli(f.getWindowStart()),
          Instant.ofEpochMilli(f.getWindowEnd()), f.getSamples(), f.getChanges(), f.getNotJsonSamples(),
          pathViews(f), f.getOtherChanges(), f.getOtherPaths());
    }
  }

  private static List<PathView> pathViews(FieldFrequency f) {
    long json = Math.max(1, f.getSamples() - f.getNotJsonSamples());
    return FieldTable.ranked(f).stream().map(p -> new PathView(p.getPath(), p.getChanges(), (double) p.getChanges() / json))
        .toList();
  }

  /**
   * GET /apis/{id}/fields?window=1m|1h|1d&from=&to=: the windows' per-field tables (oldest first), their
   * sum over the range ({@code total}: the top paths, the rest in {@code otherChanges}) and the ignore
   * rules suggested from that sum. Default window 1h, default range the last 24 windows.
   */
  public void fields(Context ctx) {
    String apiId = ctx.pathParam("id");
    TimeWindow window = QueryParams.windowParam(ctx, TimeWindow.ONE_HOUR);
    Instant to = QueryParams.instantParam(ctx, "to", clock.instant());
    Instant defaultFrom = to.minus(window.size().multipliedBy(24));
    Instant from = QueryParams.instantParam(ctx, "from",
        defaultFrom.isBefore(QueryParams.MIN_INSTANT) ? QueryParams.MIN_INSTANT : defaultFrom);
    if (from.isAfter(to)) {
      throw ProblemException.badRequest("'from' is after 'to'", List.of(new FieldError("from", "must not be after 'to'")));
    }
    if (Duration.between(from, to).dividedBy(window.size()) > MAX_WINDOWS) {
      throw ProblemException.badRequest("at most " + MAX_WINDOWS + " windows per request",
          List.of(new FieldError("from", "range too long for window " + window.label())));
    }
    Registration registration = existing(apiId);
    String store = StoreNames.fields(window);
    HostInfo owner = queries.owner(store, apiId);
    if (!queries.isSelf(owner)) {
      String query = ctx.queryString();
      StoreQueries.Relayed relayed = queries.forward(owner, ctx.path() + (query == null ? "" : "?" + query),
          ctx.header("Authorization"), ctx.header(StoreQueries.FORWARDED_HEADER) != null);
      ctx.status(relayed.status()).contentType(relayed.contentType()).result(relayed.body());
      return;
    }
    List<FieldFrequency> windows = queries.<FieldFrequency>localWindows(store, apiId, from, to).stream()
        .map(kv -> kv.value).toList();
    FieldFrequency total = sum(apiId, window, from, to, windows);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiId", apiId);
    body.put("window", window.label());
    body.put("from", from);
    body.put("to", to);
    body.put("ignore", registration.getIgnore());
    body.put("total", WindowView.of(total));
    body.put("suggestions", VolatileFields.suggest(total).stream().map(s -> Map.of(
        "pattern", s.pattern(), "changes", s.changes(), "samples", s.samples(), "share", s.share(),
        "reason", "changed in " + Math.round(s.share() * 100) + "% of " + s.samples()
            + " samples while the rest of the document changed in at most "
            + Math.round(VolatileFields.CALM_SHARE * 100) + "%: volatile — ignore?")).toList());
    body.put("items", windows.stream().map(WindowView::of).toList());
    ctx.json(body);
  }

  /** The windows summed: per path, then ranked and bounded as one window is. */
  static FieldFrequency sum(String apiId, TimeWindow window, Instant from, Instant to, List<FieldFrequency> windows) {
    FieldFrequency total = FieldTable.empty(apiId, window.label(), from.toEpochMilli(), to.toEpochMilli());
    Map<String, Long> byPath = new HashMap<>();
    long other = 0;
    long otherPaths = 0;
    for (FieldFrequency f : windows) {
      total.setSamples(total.getSamples() + f.getSamples());
      total.setChanges(total.getChanges() + f.getChanges());
      total.setNotJsonSamples(total.getNotJsonSamples() + f.getNotJsonSamples());
      total.setUpdatedAt(Math.max(total.getUpdatedAt(), f.getUpdatedAt()));
      other += f.getOtherChanges();
      otherPaths += f.getOtherPaths();
      for (FieldChanges p : f.getPaths()) {
        byPath.merge(p.getPath(), p.getChanges(), Long::sum);
      }
    }
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(byPath.entrySet());
    ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<FieldChanges> kept = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      if (i < FieldTable.MAX_PATHS) {
        kept.add(new FieldChanges(ranked.get(i).getKey(), ranked.get(i).getValue()));
      } else {
        other += ranked.get(i).getValue();
        otherPaths++;
      }
    }
    total.setPaths(kept);
    total.setOtherChanges(other);
    total.setOtherPaths(otherPaths);
    return total;
  }

  /** The body of {@code POST /apis/{id}/ignore}. */
  record IgnoreRequest(List<String> patterns) {
    @JsonCreator
    IgnoreRequest(@JsonProperty("patterns") List<String> patterns) {
      this.patterns = patterns;
    }
  }

  /**
   * POST /apis/{id}/ignore {"patterns":["/meta/requestId"]}: adds ignore patterns (a suggestion, one call)
   * to the registration — a new version, as a PUT would write — keeping those it has. If-Match is
   * optional. Patterns it already has are not added again; when none is new nothing is written.
   */
  public void ignore(Context ctx) {
    existing(ctx.pathParam("id")); // 404 first
    Preconditions.requireJson(ctx);
    IgnoreRequest request = parse(ctx.bodyAsBytes());
    Registration[] result = new Registration[1];
    try {
      write(ctx, request, result);
    } catch (Unchanged unchanged) {
      // nothing new: no version written, the current registration is the answer
    }
    ctx.header("ETag", Preconditions.etag(result[0])).json(Views.RegistrationView.of(result[0]));
  }

  private void write(Context ctx, IgnoreRequest request, Registration[] result) {
    registrations.write(existing(ctx.pathParam("id")).getApiId(), () -> {
      Registration current = existing(ctx.pathParam("id"));
      Preconditions.checkMatch(ctx, current);
      List<String> ignore = new ArrayList<>(current.getIgnore());
      request.patterns().stream().filter(p -> !ignore.contains(p)).distinct().forEach(ignore::add);
      List<ChangeRules.Problem> problems = ChangeRules.validate(current.getJsonPointer(), current.getSelect(), ignore,
          current.getUnorderedArrays(), current.getArrayKeys());
      if (!problems.isEmpty()) {
        List<FieldError> errors = problems.stream().map(p -> new FieldError(patternField(p.field(), current, request), p.message()))
            .toList();
        throw ProblemException.badRequest(errors.stream().map(e -> e.field() + " " + e.message())
            .collect(Collectors.joining("; ")), errors);
      }
      if (ignore.size() == current.getIgnore().size()) {
        result[0] = current;
        throw new Unchanged();
      }
      result[0] = Registration.newBuilder(current).setIgnore(ignore).setVersion(current.getVersion() + 1)
          .setUpdatedAt(Instant.now(clock)).build();
      return result[0];
    });
  }

  /** "ignore[3]" of the merged list as "patterns[i]" of the request when the pattern is one it sent. */
  private static String patternField(String field, Registration current, IgnoreRequest request) {
    if (!field.startsWith("ignore[")) {
      return field;
    }
    int index = Integer.parseInt(field.substring("ignore[".length(), field.length() - 1)) - current.getIgnore().size();
    List<String> added = request.patterns().stream().filter(p -> !current.getIgnore().contains(p)).distinct().toList();
    return index >= 0 && index < added.size() ? "patterns[" + request.patterns().indexOf(added.get(index)) + "]" : field;
  }

  private static IgnoreRequest parse(byte[] body) {
    IgnoreRequest request;
    try {
      request = body == null || body.length == 0 ? null : STRICT.readValue(body, IgnoreRequest.class);
    } catch (IOException e) {
      throw ProblemException.badRequest("the body must be {\"patterns\": [\"/json/pointer\", …]}",
          List.of(new FieldError("patterns", "must be an array of JSON Pointer patterns")));
    }
    if (request == null || request.patterns() == null || request.patterns().isEmpty()
        || request.patterns().stream().anyMatch(Objects::isNull)) {
      throw ProblemException.badRequest("the body must be {\"patterns\": [\"/json/pointer\", …]} with at least one pattern",
          List.of(new FieldError("patterns", "is required: a non-empty array of JSON Pointer patterns")));
    }
    return request;
  }

  private Registration existing(String apiId) {
    return registrations.require(apiId);
  }

  /** Nothing to add: no new version is written. */
  static final class Unchanged extends RuntimeException {
    Unchanged() {
      super(null, null, false, false);
    }
  }
}
