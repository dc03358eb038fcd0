package io.seismo.api.route;

import io.javalin.http.Context;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.StoreQueries;
import io.seismo.api.registration.Registrations;
import io.seismo.schemas.FieldChanges;
import io.seismo.schemas.FieldFrequency;
import io.seismo.schemas.Registration;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.change.FieldTable;
import io.seismo.topology.change.VolatileFields;
import io.seismo.topology.store.StoreNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/** Per-field change frequency: {@code GET /apis/{id}/fields}, with the ignore rules it suggests. */
public final class FieldHandlers {

  private static final int MAX_WINDOWS = 1_500;

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

  private Registration existing(String apiId) {
    return registrations.require(apiId);
  }
}
