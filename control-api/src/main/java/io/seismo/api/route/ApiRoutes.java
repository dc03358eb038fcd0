package io.seismo.api.route;

import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.beforeMatched;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.head;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static io.seismo.api.auth.Access.READ;
import static io.seismo.api.auth.Access.WRITE;

import io.javalin.apibuilder.EndpointGroup;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.security.RouteRole;
import io.seismo.api.auth.Access;
import io.seismo.api.auth.RateLimiter;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.observe.Observability;
import io.seismo.api.query.StoreQueries;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Every route of the control API, with the access it needs ({@link Access}) and its rate limit. A request
 * passes, in order: the rate limit of its path (by the principal its token authenticates as, else its
 * address; {@code /internal/*} has its own, larger bucket), the access check of the route it matched
 * (401 / 403), then the handler. GET routes answer HEAD too.
 */
public final class ApiRoutes implements EndpointGroup {

  /** /internal/* buckets get this many times the configured rate and burst. */
  public static final int INTERNAL_RATE_FACTOR = 10;

  private final Handlers handlers;
  private final TokenAuth auth;
  private final RateLimiter limiter;
  private final RateLimiter internalLimiter;
  private final Observability observability;

  /**
   * @param internalLimiter the bucket of requests that peer instances forward ({@code /internal/*}): a list
   *     with include=status can fan out to hundreds of keys
   */
  public ApiRoutes(Handlers handlers, TokenAuth auth, RateLimiter limiter, RateLimiter internalLimiter,
                   Observability observability) {
    this.handlers = handlers;
    this.auth = auth;
    this.limiter = limiter;
    this.internalLimiter = internalLimiter;
    this.observability = observability;
  }

  @Override
  public void addEndpoints() {
    rateLimits();
    beforeMatched(Access.check(auth));
    publicRoutes();
    registrations();
    analysis();
    notifications();
    deadLetters();
    getAndHead("/system", ctx -> handlers.system().system(ctx), READ);
    getAndHead("/metrics", ctx -> ctx.contentType(Observability.CONTENT_TYPE).result(observability.scrape()), READ);
    getAndHead(StoreQueries.INTERNAL_PATH + "{store}/{key}", ctx -> handlers.api().internalStore(ctx), READ);
  }

  /** Before any route, matched or not: the static files, the health checks and the OpenAPI document are not limited. */
  private void rateLimits() {
    Handler limited = ctx -> limiter.check(ctx, auth.principal(ctx));
    // a request about one API logs its apiId as a separate field (JSON logs), whichever handler logs; no handler
    // of its own (a "*" handler would become the endpoint the request metrics are tagged with)
    before("/apis*", ctx -> {
      requestApiId(ctx.path()).ifPresent(id -> MDC.put("apiId", id));
      limited.handle(ctx);
    });
    before("/alerts", limited);
    before("/metrics", limited);
    before(StoreQueries.INTERNAL_PATH + "*", ctx -> internalLimiter.check(ctx, auth.principal(ctx)));
    before("/dlq*", limited);
    before("/system", limited);
  }

  private void publicRoutes() {
    getAndHead("/", ctx -> ctx.redirect("/dashboard/"));
    getAndHead("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi()));
    path("/health", () -> {
      // the process answers: live from the first request on; not ready, as Readiness JSON, until wired
      getAndHead("/live", ctx -> ctx.json(Map.of("status", "UP")));
      getAndHead("/ready", ctx -> {
        HealthHandlers health = handlers.healthOrNull();
        if (health == null) {
          ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("status", "DOWN", "streams", "STARTING", "topics", "UNKNOWN"));
        } else {
          health.ready(ctx);
        }
      });
    });
  }

  /** The registrations: created, listed, read, replaced, deleted, started and stopped; bulk import; ignore rules. */
  private void registrations() {
    post("/apis:batch", ctx -> handlers.batch().create(ctx), WRITE);
    path("/apis", () -> {
      post(ctx -> handlers.registrations().create(ctx), WRITE);
      getAndHead(ctx -> handlers.registrations().list(ctx), READ);
      path("{id}", () -> {
        getAndHead(ctx -> handlers.registrations().get(ctx), READ);
        put(ctx -> handlers.registrations().replace(ctx), WRITE);
        delete(ctx -> handlers.registrations().delete(ctx), WRITE);
        post("/start", ctx -> handlers.registrations().start(ctx), WRITE);
        post("/stop", ctx -> handlers.registrations().stop(ctx), WRITE);
        getAndHead("/fields", ctx -> handlers.fields().fields(ctx), READ);
        post("/ignore", ctx -> handlers.ignore().ignore(ctx), WRITE);
      });
    });
  }

  /** What the topology made of an API, read from the instance that owns it; and its live event stream. */
  private void analysis() {
    path("/apis/{id}", () -> {
      getAndHead("/status", ctx -> handlers.api().status(ctx), READ);
      getAndHead("/document", ctx -> handlers.api().document(ctx), READ);
      getAndHead("/metrics", ctx -> handlers.api().metrics(ctx), READ);
      getAndHead("/changes", ctx -> handlers.api().changes(ctx), READ);
      getAndHead("/logs", ctx -> handlers.api().logs(ctx), READ);
      getAndHead("/incidents", ctx -> handlers.api().incidents(ctx), READ);
      // the stream handler answers HEAD itself (what GET would answer, without opening a stream)
      get("/stream", ctx -> handlers.stream().handle(ctx), READ);
      head("/stream", ctx -> handlers.stream().head(ctx), READ);
      getAndHead("/stream/clients", ctx -> handlers.stream().clients(ctx), READ);
    });
  }

  /** Test notifications, webhook deliveries and the alert history. */
  private void notifications() {
    path("/apis/{id}", () -> {
      post("/notify", ctx -> handlers.notifier().notify(ctx), WRITE);
      getAndHead("/deliveries", ctx -> handlers.notifier().deliveries(ctx), READ);
      getAndHead("/alerts", ctx -> handlers.alerts().apiAlerts(ctx), READ);
    });
    getAndHead("/alerts", ctx -> handlers.alerts().allAlerts(ctx), READ);
  }

  /** The topology's dead letters: browsed, re-processed, discarded. */
  private void deadLetters() {
    path("/dlq", () -> {
      getAndHead(ctx -> handlers.dlq().list(ctx), READ);
      post("/reprocess", ctx -> handlers.dlq().reprocessAll(ctx), WRITE);
      post("/discard", ctx -> handlers.dlq().discardAll(ctx), WRITE);
      path("{id}", () -> {
        getAndHead(ctx -> handlers.dlq().get(ctx), READ);
        post("/reprocess", ctx -> handlers.dlq().reprocess(ctx), WRITE);
        post("/discard", ctx -> handlers.dlq().discard(ctx), WRITE);
      });
    });
  }

  /** A GET route and its HEAD: the same handler, whose body Jetty leaves out. */
  private static void getAndHead(String path, Handler handler, RouteRole... roles) {
    get(path, handler, roles);
    head(path, handler, roles);
  }

  /** A GET route on the current path, and its HEAD. */
  private static void getAndHead(Handler handler, RouteRole... roles) {
    get(handler, roles);
    head(handler, roles);
  }

  private static byte[] openApi() throws IOException {
    try (InputStream in = ApiRoutes.class.getResourceAsStream("/openapi/openapi.yaml")) {
      return in.readAllBytes();
    }
  }

  /** The {id} of a request under {@code /apis/{id}}, if it is one. */
  static Optional<String> requestApiId(String path) {
    if (!path.startsWith("/apis/")) {
      return Optional.empty();
    }
    int end = path.indexOf('/', "/apis/".length());
    String id = path.substring("/apis/".length(), end < 0 ? path.length() : end);
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }
}
