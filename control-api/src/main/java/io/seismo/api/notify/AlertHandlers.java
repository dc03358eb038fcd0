package io.seismo.api.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.registration.Registrations;
import io.seismo.api.route.QueryParams;
import io.seismo.runtime.topic.DeliveryTable;
import io.seismo.schemas.AlertKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /alerts} and {@code GET /apis/{id}/alerts}: the alert history (see {@link AlertHistory}),
 * newest first, paged with {@code limit} and the {@code before} cursor of the previous page's
 * {@code next}; each alert with what the notifier did with it per webhook (from the API's delivery
 * record: its most recent deliveries, matched by webhook id).
 */
public final class AlertHandlers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LIMIT = 200;

  private final Registrations registrations;
  private final AlertPages history;
  private final DeliveryTable deliveries;

  public AlertHandlers(Registrations registrations, AlertPages history, DeliveryTable deliveries) {
    this.registrations = registrations;
    this.history = history;
    this.deliveries = deliveries;
  }

  /** A delivery of an alert to one webhook (never its URL). */
  public record DeliveryView(int index, String host, String fingerprint, String outcome, int attempts, Integer httpStatus,
                             String error, String at) {}

  public record AlertView(String id, String apiId, String kind, Instant at, String detail, String ruleId,
                          String incidentId, List<DeliveryView> deliveries) {}

  /** GET /apis/{id}/alerts. */
  public void apiAlerts(Context ctx) {
    String apiId = ctx.pathParam("id");
    registrations.require(apiId);
    page(ctx, apiId, null);
  }

  /** GET /alerts?kind=. */
  public void allAlerts(Context ctx) {
    String kind = ctx.queryParam("kind");
    if (kind != null) {
      try {
        AlertKind.valueOf(kind);
      } catch (IllegalArgumentException e) {
        throw ProblemException.badRequest("unknown kind '" + kind + "'", List.of(new FieldError("kind",
            "must be one of " + Arrays.toString(AlertKind.values()))));
      }
    }
    page(ctx, null, kind);
  }

  private void page(Context ctx, String apiId, String kind) {
    if (!history.loaded()) {
      throw ProblemException.unavailable("the alert history is still loading; retry shortly");
    }
    int limit = QueryParams.intParam(ctx, "limit", 50, 1, MAX_LIMIT, raw -> ProblemException.badRequest("invalid limit",
        List.of(new FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT))));
    String before = ctx.queryParam("before");
    if (before != null && !AlertHistory.validCursor(before)) {
      throw ProblemException.badRequest("invalid cursor", List.of(new FieldError("before",
          "must be the 'next' value of a previous page")));
    }
    AlertHistory.Page page = history.page(apiId, kind, before, limit);
    Map<String, Map<String, List<DeliveryView>>> byApi = new HashMap<>();
    List<AlertView> items = new ArrayList<>();
    for (AlertHistory.Entry entry : page.items()) {
      Map<String, List<DeliveryView>> delivered = byApi.computeIfAbsent(entry.apiId(), this::deliveriesOf);
      items.add(new AlertView(entry.id(), entry.apiId(), entry.kind(), Instant.ofEpochMilli(entry.atMs()),
          entry.detail(), entry.ruleId(), entry.incidentId(), delivered.getOrDefault(entry.id(), List.of())));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (apiId != null) {
      body.put("apiId", apiId);
    }
    body.put("items", items);
    body.put("next", page.next());
    ctx.json(body);
  }

  /** The API's recent deliveries by webhook id (alert id). */
  private Map<String, List<DeliveryView>> deliveriesOf(String apiId) {
    Map<String, List<DeliveryView>> byId = new HashMap<>();
    JsonNode stored = deliveries.get(apiId).map(AlertHandlers::parse).orElse(null);
    if (stored == null) {
      return byId;
    }
    for (JsonNode d : stored.path("recent")) {
      byId.computeIfAbsent(d.path("webhookId").asText(), k -> new ArrayList<>()).add(new DeliveryView(
          d.path("index").asInt(), text(d, "host"), text(d, "fingerprint"), text(d, "outcome"), d.path("attempts").asInt(),
          d.hasNonNull("httpStatus") ? d.get("httpStatus").asInt() : null, text(d, "error"), text(d, "at")));
    }
    return byId;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static JsonNode parse(String document) {
    try {
      return JSON.readTree(document);
    } catch (IOException e) {
      return null;
    }
  }
}
