package io.seismo.api.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.route.QueryParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /dlq}: the dead letters of the topology, browsable, re-processable and discardable. Reads need
 * what every read needs; actions need the write token (declared on the routes) and are recorded with the
 * principal that took them ({@code write-0}, never the token).
 */
public final class DlqHandlers {

  private static final int MAX_PAGE = 500;
  private static final int MAX_IDS = 1_000;

  private final TokenAuth auth;
  private final DlqService dlq;
  private final ObjectMapper json;

  public DlqHandlers(TokenAuth auth, DlqService dlq, ObjectMapper json) {
    this.auth = auth;
    this.dlq = dlq;
    this.json = json;
  }

  /** GET /dlq?limit=100&state=all|open|handled: newest first. */
  public void list(Context ctx) {
    int limit = QueryParams.intParam(ctx, "limit", 100, 1, MAX_PAGE, raw -> ProblemException.badRequest(
        "query parameter 'limit' must be an integer from 1 to " + MAX_PAGE,
        List.of(new FieldError("limit", "must be an integer from 1 to " + MAX_PAGE + ", was '" + abbreviate(raw) + "'"))));
    String state = ctx.queryParam("state") == null ? "all" : ctx.queryParam("state");
    if (!List.of("all", "open", "handled").contains(state)) {
      throw ProblemException.badRequest("query parameter 'state' must be all, open or handled",
          List.of(new FieldError("state", "unknown value '" + abbreviate(state) + "'")));
    }
    DlqService.Page page = dlq.list(limit, state);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items());
    body.put("total", page.total());
    body.put("scanned", page.scanned());
    body.put("open", page.open());
    ctx.json(body);
  }

  /** GET /dlq/{id}. */
  public void get(Context ctx) {
    ctx.json(dlq.get(ctx.pathParam("id")));
  }

  /** POST /dlq/{id}/reprocess. */
  public void reprocess(Context ctx) {
    ctx.json(dlq.reprocess(ctx.pathParam("id"), by(ctx)));
  }

  /** POST /dlq/{id}/discard. */
  public void discard(Context ctx) {
    ctx.json(dlq.discard(ctx.pathParam("id"), by(ctx)));
  }

  /** POST /dlq/reprocess with an optional body {"ids":[...]}: every open letter (or those named). */
  public void reprocessAll(Context ctx) {
    all(ctx, DlqService.Action.REPROCESSED);
  }

  /** POST /dlq/discard with an optional body {"ids":[...]}. */
  public void discardAll(Context ctx) {
    all(ctx, DlqService.Action.DISCARDED);
  }

  private void all(Context ctx, DlqService.Action action) {
    List<String> ids = ids(ctx);
    List<DlqService.Letter> done = dlq.actOnAll(ids, action, by(ctx));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action.name());
    body.put("count", done.size());
    body.put("items", done);
    ctx.json(body);
  }

  private List<String> ids(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      return null;
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (IOException e) {
      throw ProblemException.badRequest("the body is not JSON: send {\"ids\":[\"0-42\",...]} or nothing",
          List.of(new FieldError("ids", "body is not JSON")));
    }
    if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
      return null;
    }
    JsonNode ids = node.path("ids");
    if (!node.isObject() || !ids.isArray() || ids.size() > MAX_IDS) {
      throw ProblemException.badRequest("send {\"ids\":[\"0-42\",...]} (at most " + MAX_IDS + ") or nothing",
          List.of(new FieldError("ids", "must be an array of at most " + MAX_IDS + " dead letter ids")));
    }
    List<String> list = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isTextual()) {
        throw ProblemException.badRequest("dead letter ids are strings like \"0-42\"",
            List.of(new FieldError("ids", "must hold strings")));
      }
      list.add(id.asText());
    }
    return list;
  }

  private String by(Context ctx) {
    return auth.principal(ctx).orElse("unknown");
  }

  private static String abbreviate(String raw) {
    return raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
  }
}
