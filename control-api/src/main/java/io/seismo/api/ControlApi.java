package io.seismo.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import org.apache.kafka.clients.admin.Admin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import io.seismo.api.auth.RateLimiter;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.config.ApiConfig;
import io.seismo.api.dlq.DlqHandlers;
import io.seismo.api.dlq.DlqService;
import io.seismo.api.system.SystemHandlers;
import io.seismo.api.error.JettyProblemHandler;
import io.seismo.api.error.Problem;
import io.seismo.api.error.ProblemException;
import io.seismo.api.metadata.MetadataService;
import io.seismo.api.notify.NotifyHandler;
import io.seismo.api.observe.Observability;
import io.seismo.api.query.StoreQueryService;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.api.registration.RegistrationValidator;
import io.seismo.api.registration.RegistrationWriter;
import io.seismo.api.route.ApiHandlers;
import io.seismo.api.route.HealthHandlers;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.api.stream.ChangeFeed;
import io.seismo.api.stream.OpenStreams;
import io.seismo.api.stream.StreamHandler;
import io.seismo.topology.TopologyService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The control API process: a Javalin server in front of an embedded instance of the Seismo topology.
 * Each instance advertises its HTTP address as Kafka Streams' {@code application.server}, answers
 * queries for the keys it owns and forwards the others to their owner.
 */
public final class ControlApi implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlApi.class);
  /** /internal/* buckets get this many times the configured rate and burst. */
  static final int INTERNAL_RATE_FACTOR = 10;
  static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();

  private final Javalin app;
  private final TopologyService topology;
  private final RegistrationWriter writer;
  private final RegistrationTable table;
  private final StoreQueryService queries;
  private final Observability observability;
  private final ChangeFeed feed;
  private final OpenStreams streams;
  private final NotifyHandler notify;
  private final Admin admin;
  private final DlqService dlq;

  private ControlApi(Javalin app, TopologyService topology, RegistrationWriter writer, RegistrationTable table,
                     StoreQueryService queries, Observability observability, ChangeFeed feed, OpenStreams streams,
                     NotifyHandler notify, Admin admin, DlqService dlq) {
    this.dlq = dlq;
    this.streams = streams;
    this.admin = admin;
    this.notify = notify;
    this.observability = observability;
    this.feed = feed;
    this.app = app;
    this.topology = topology;
    this.writer = writer;
    this.table = table;
    this.queries = queries;
  }

  /**
   * Starts the control API; when any step fails, everything started until then (clients, their threads, the
   * HTTP server, the topology) is closed in reverse order before the failure is thrown.
   */
  public static ControlApi start(ApiConfig config) {
    java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();
    try {
      return start(config, started);
    } catch (RuntimeException | Error e) {
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  private static ControlApi start(ApiConfig config, java.util.Deque<AutoCloseable> started) {
    RegistrationWriter writer = new RegistrationWriter(config.bootstrapServers(), config.kafka());
    started.push(writer);
    RegistrationTable table = new RegistrationTable(config.bootstrapServers(), config.kafka(),
        "seismo-api-registration-table").start();
    started.push(table);
    ChangeFeed feed = new ChangeFeed(config.bootstrapServers(), config.kafka()).start();
    started.push(feed);
    OpenStreams streams = new OpenStreams(config.stream(), System::nanoTime);
    started.push(streams::close);
    TokenAuth auth = new TokenAuth(config.writeTokens(), config.readTokens());
    RegistrationValidator validator = new RegistrationValidator(config.minPollIntervalMs(),
        AddressGuard.allowing(config.allowHosts()), config.secretNames());
    Holder holder = new Holder();
    NotifyHandler notify = new NotifyHandler(auth, table, config.bootstrapServers(), config.kafka(), Clock.systemUTC(),
        config.topology().outputFormat());
    started.push(notify);
    holder.notify = notify;
    io.seismo.api.notify.AlertHistory alertHistory = new io.seismo.api.notify.AlertHistory(config.bootstrapServers(),
        config.kafka(), "seismo-api-alert-history").start();
    notify.closeWith(alertHistory); // closed by notify
    holder.alerts = new io.seismo.api.notify.AlertHandlers(auth, table, alertHistory, notify.deliveryTable());
    Observability observability = new Observability();
    started.push(observability);
    observability.gauge("seismo.api.streams.open", "open /apis/{id}/stream connections", streams, OpenStreams::open);
    for (OpenStreams.Cause cause : OpenStreams.Cause.values()) { // streams is held by ControlApi
      observability.counter("seismo.api.streams.cut", "stream clients cut off for not taking what they are sent",
          "cause", cause.name().toLowerCase(java.util.Locale.ROOT), streams, open -> open.cutOffs(cause));
    }
    RateLimiter limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System::nanoTime);
    // peer instances forward queries here (a list with include=status can fan out to hundreds of keys)
    RateLimiter internalLimiter = new RateLimiter(config.rateLimitPerSecond() * INTERNAL_RATE_FACTOR,
        config.rateLimitBurst() * INTERNAL_RATE_FACTOR, System::nanoTime);
    Handler limited = ctx -> limiter.check(ctx, auth.principal(ctx));

    Javalin app = Javalin.create(javalin -> {
      javalin.jsonMapper(new JavalinJackson(JSON, false));
      javalin.http.maxRequestSize = config.maxRequestBytes();
      javalin.http.prefer405over404 = true;
      javalin.concurrency.useVirtualThreads = true;
      javalin.startup.showJavalinBanner = false;
      // requests Jetty refuses before any route (414, 431, malformed): problem+json too
      javalin.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblemHandler()));
      javalin.staticFiles.add(files -> {
        files.hostedPath = "/dashboard";
        files.directory = "/dashboard";
        files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
        files.headers = Map.of("Cache-Control", "no-cache");
      });
      javalin.staticFiles.add(files -> { // Swagger UI (from its webjar) on /openapi.yaml
        files.hostedPath = "/docs";
        files.directory = "/docs";
        files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
        files.headers = Map.of("Cache-Control", "no-cache");
      });
      javalin.staticFiles.enableWebjars();
      Routes routes = new Routes(javalin);
      routes.get("/", ctx -> ctx.redirect("/dashboard/"));
      // a request about one API logs its apiId as a separate field (JSON logs), whichever handler logs; no handler
      // of its own (a "*" handler would become the endpoint the request metrics are tagged with)
      javalin.routes.before("/apis*", ctx -> {
        requestApiId(ctx.path()).ifPresent(id -> MDC.put("apiId", id));
        limited.handle(ctx);
      });
      javalin.routes.before("/alerts", limited);
      javalin.routes.before("/metrics", limited);
      javalin.routes.before(StoreQueryService.INTERNAL_PATH + "*", ctx -> internalLimiter.check(ctx, auth.principal(ctx)));
      javalin.routes.post("/apis", ctx -> holder.api().create(ctx));
      javalin.routes.post("/apis:batch", ctx -> Holder.ready(holder.batch).create(ctx));
      routes.get("/apis", ctx -> holder.api().list(ctx));
      routes.get("/apis/{id}", ctx -> holder.api().get(ctx));
      javalin.routes.put("/apis/{id}", ctx -> holder.api().replace(ctx));
      javalin.routes.delete("/apis/{id}", ctx -> holder.api().delete(ctx));
      javalin.routes.post("/apis/{id}/start", ctx -> holder.api().start(ctx));
      javalin.routes.post("/apis/{id}/stop", ctx -> holder.api().stop(ctx));
      routes.get("/apis/{id}/status", ctx -> holder.api().status(ctx));
      routes.get("/apis/{id}/document", ctx -> holder.api().document(ctx));
      routes.get("/apis/{id}/metrics", ctx -> holder.api().metrics(ctx));
      routes.get("/apis/{id}/changes", ctx -> holder.api().changes(ctx));
      routes.get("/apis/{id}/logs", ctx -> holder.api().logs(ctx));
      routes.get("/apis/{id}/fields", ctx -> holder.fields().fields(ctx));
      javalin.routes.post("/apis/{id}/ignore", ctx -> holder.fields().ignore(ctx));
      javalin.routes.post("/apis/{id}/notify", ctx -> holder.notify.notify(ctx));
      routes.get("/apis/{id}/deliveries", ctx -> holder.notify.deliveries(ctx));
      routes.get("/apis/{id}/alerts", ctx -> holder.alerts.apiAlerts(ctx));
      routes.get("/apis/{id}/incidents", ctx -> holder.api().incidents(ctx));
      routes.get("/alerts", ctx -> holder.alerts.allAlerts(ctx));
      javalin.routes.get("/apis/{id}/stream", ctx -> holder.stream().handle(ctx));
      javalin.routes.head("/apis/{id}/stream", ctx -> holder.stream().head(ctx));
      javalin.routes.before("/dlq*", limited);
      javalin.routes.before("/system", limited);
      routes.get("/dlq", ctx -> holder.dlq().list(ctx));
      routes.get("/dlq/{id}", ctx -> holder.dlq().get(ctx));
      javalin.routes.post("/dlq/reprocess", ctx -> holder.dlq().reprocessAll(ctx));
      javalin.routes.post("/dlq/discard", ctx -> holder.dlq().discardAll(ctx));
      javalin.routes.post("/dlq/{id}/reprocess", ctx -> holder.dlq().reprocess(ctx));
      javalin.routes.post("/dlq/{id}/discard", ctx -> holder.dlq().discard(ctx));
      routes.get("/system", ctx -> holder.system().system(ctx));
      routes.get(StoreQueryService.INTERNAL_PATH + "{store}/{key}", ctx -> holder.api().internalStore(ctx));
      routes.get("/metrics", ctx -> {
        auth.requireRead(ctx);
        ctx.contentType(Observability.CONTENT_TYPE).result(observability.scrape());
      });
      javalin.requestLogger.http((ctx, millis) -> {
        MDC.remove("apiId");
        observability.recordRequest(ctx, millis);
      });
      routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi()));
      // the process answers: live from the first request on; not ready, as Readiness JSON, until wired
      routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
      routes.get("/health/ready", ctx -> {
        HealthHandlers health = holder.health;
        if (health == null) {
          ctx.status(503).json(Map.of("status", "DOWN", "streams", "STARTING", "topics", "UNKNOWN"));
        } else {
          health.ready(ctx);
        }
      });
      javalin.routes.exception(ProblemException.class, ControlApi::problem);
      javalin.routes.exception(Exception.class, (e, ctx) -> {
        log.error("unhandled error method={} path={} error={}", ctx.method(), ctx.path(), e.toString(), e);
        problem(new ProblemException(500, "internal", "Internal error",
            "the request failed unexpectedly; see the service log", List.of(), Optional.empty()), ctx);
      });
      javalin.routes.error(404, ctx -> {
        String contentType = ctx.res().getContentType();
        if (contentType == null || !contentType.startsWith("application/problem+json")) { // Javalin's own "not found"
          problem(ProblemException.notFound("no route " + ctx.method() + " " + ctx.path()), ctx);
        }
      });
      javalin.routes.error(405, ctx -> {
        String contentType = ctx.res().getContentType();
        if (contentType == null || !contentType.startsWith("application/problem+json")) { // Javalin's, with Allow set
          String allow = ctx.res().getHeader("Allow");
          problem(new ProblemException(405, "method-not-allowed", "Method not allowed",
              ctx.method() + " is not allowed on " + ctx.path() + "; allowed: " + allow, List.of(), Optional.empty()), ctx);
        }
      });
      javalin.routes.error(413, ctx -> {
        String contentType = ctx.res().getContentType();
        if (contentType == null || !contentType.startsWith("application/problem+json")) { // not a batch's own 413
          problem(new ProblemException(413, "too-large", "Request too large",
              "request bodies are limited to " + config.maxRequestBytes() + " bytes", List.of(), Optional.empty()), ctx);
        }
      });
    });
    started.push(app::stop);
    app.start(config.port());
    return wire(config, app, app.port(), holder, auth, validator, writer, table, feed, streams, notify, observability,
        started);
  }

  private static ControlApi wire(ApiConfig config, Javalin app, int port, Holder holder, TokenAuth auth,
                                 RegistrationValidator validator, RegistrationWriter writer, RegistrationTable table,
                                 ChangeFeed feed, OpenStreams streams, NotifyHandler notify,
                                 Observability observability, java.util.Deque<AutoCloseable> started) {

    TopologyService topology = TopologyService.start(
        config.topology().withApplicationServer(config.advertisedHost() + ":" + port));
    started.push(topology);
    observability.bind(topology.streams(), config.metricsMaxApis());
    MetadataService metadata = new MetadataService(topology.streams(), new HostInfo(config.advertisedHost(), port));
    StoreQueryService queries = new StoreQueryService(topology.streams(), metadata);
    started.push(queries::close);
    holder.api = new ApiHandlers(auth, validator, writer, table, queries, Clock.systemUTC());
    holder.batch = new io.seismo.api.route.BatchHandler(auth, validator, writer, table, Clock.systemUTC());
    holder.fields = new io.seismo.api.route.FieldHandlers(auth, writer, table, queries, Clock.systemUTC());
    Admin admin = Admin.create(adminProperties(config));
    started.push(() -> admin.close(java.time.Duration.ofSeconds(5)));
    holder.health = new HealthHandlers(topology.streams(), () -> {
      try {
        return admin.listTopics().names().get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(e);
      }
    });
    holder.stream = new StreamHandler(auth, StreamHandler.Source.of(table, queries), feed, streams);
    DlqService dlq = new DlqService(config.bootstrapServers(), config.kafka(), config.advertisedHost() + "-" + port,
        Clock.systemUTC(), JSON);
    started.push(dlq);
    holder.dlq = new DlqHandlers(auth, dlq, JSON);
    holder.system = new SystemHandlers(auth, topology.streams(), new HostInfo(config.advertisedHost(), port), queries,
        admin, config.topology().applicationId(), config.ingestGroupId(), config.ingestUrls(), table, Clock.systemUTC(), JSON);
    log.info("control api started port={} advertised={}:{}", port, config.advertisedHost(), port);
    return new ControlApi(app, topology, writer, table, queries, observability, feed, streams, notify, admin, dlq);
  }

  private static java.util.Properties adminProperties(ApiConfig config) {
    java.util.Properties props = new java.util.Properties();
    props.putAll(config.kafka());
    props.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return props;
  }

  public int port() {
    return app.port();
  }

  public TopologyService topology() {
    return topology;
  }

  /**
   * Every HTTP route as "METHOD /path/{param}", for checking the OpenAPI document against the app. HEAD
   * routes are left out: each one answers as its GET does, without the body.
   */
  public java.util.List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(parsed -> parsed.endpoint.method.isHttpMethod())
        .filter(parsed -> parsed.endpoint.method != io.javalin.http.HandlerType.HEAD)
        .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
        .sorted().toList();
  }

  private static byte[] openApi() throws java.io.IOException {
    try (var in = ControlApi.class.getResourceAsStream("/openapi/openapi.yaml")) {
      return in.readAllBytes();
    }
  }

  private static void problem(ProblemException e, Context ctx) {
    e.retryAfter().ifPresent(wait -> ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
    e.headers().forEach(ctx::header);
    ctx.status(e.status()).contentType(Problem.CONTENT_TYPE).result(writeProblem(e.toProblem(ctx.path())));
  }

  /** UTF-8 bytes: a String result would be encoded with the response's charset, ISO-8859-1 by default. */
  private static byte[] writeProblem(Problem problem) {
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    streams.close();
    app.stop();
    feed.close();
    notify.close();
    dlq.close();
    admin.close(java.time.Duration.ofSeconds(5));
    observability.close();
    queries.close();
    topology.close();
    table.close();
    writer.close();
    log.info("control api stopped");
  }

  /** Registers GET routes together with their HEAD: the same handler, whose body Jetty leaves out. */
  private record Routes(io.javalin.config.JavalinConfig javalin) {
    void get(String path, Handler handler) {
      javalin.routes.get(path, handler);
      javalin.routes.head(path, handler);
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

  /**
   * Routes are registered before the topology exists (its application.server needs the bound port);
   * until the handlers are wired, requests get 503 rather than a failure.
   */
  private static final class Holder {
    volatile ApiHandlers api;
    volatile HealthHandlers health;
    volatile StreamHandler stream;
    volatile NotifyHandler notify;
    volatile DlqHandlers dlq;
    volatile SystemHandlers system;
    volatile io.seismo.api.route.BatchHandler batch;
    volatile io.seismo.api.route.FieldHandlers fields;
    volatile io.seismo.api.notify.AlertHandlers alerts;

    ApiHandlers api() {
      return ready(api);
    }

    DlqHandlers dlq() {
      return ready(dlq);
    }

    SystemHandlers system() {
      return ready(system);
    }

    StreamHandler stream() {
      return ready(stream);
    }

    io.seismo.api.route.FieldHandlers fields() {
      return ready(fields);
    }

    private static <T> T ready(T handler) {
      if (handler == null) {
        throw ProblemException.unavailable("the service is starting; retry shortly");
      }
      return handler;
    }
  }
}
