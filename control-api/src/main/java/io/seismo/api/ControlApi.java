package io.seismo.api;

import io.javalin.Javalin;
import io.seismo.api.auth.RateLimiter;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.config.ApiConfig;
import io.seismo.api.dlq.DlqHandlers;
import io.seismo.api.dlq.DlqService;
import io.seismo.api.metadata.MetadataService;
import io.seismo.api.notify.AlertHandlers;
import io.seismo.api.notify.AlertHistory;
import io.seismo.api.notify.NotifyHandler;
import io.seismo.api.observe.Observability;
import io.seismo.api.query.StoreQueryService;
import io.seismo.api.registration.RegistrationValidator;
import io.seismo.api.registration.RegistrationWriter;
import io.seismo.api.registration.Registrations;
import io.seismo.api.route.ApiHandlers;
import io.seismo.api.route.ApiRoutes;
import io.seismo.api.route.ApiServer;
import io.seismo.api.route.BatchHandler;
import io.seismo.api.route.FieldHandlers;
import io.seismo.api.route.Handlers;
import io.seismo.api.route.HealthHandlers;
import io.seismo.api.route.IgnoreHandler;
import io.seismo.api.route.RegistrationHandlers;
import io.seismo.api.stream.ChangeFeed;
import io.seismo.api.stream.OpenStreams;
import io.seismo.api.stream.StreamHandler;
import io.seismo.api.system.SystemHandlers;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.topology.TopologyService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API process: a Javalin server in front of an embedded instance of the Seismo topology.
 * Each instance advertises its HTTP address as Kafka Streams' {@code application.server}, answers
 * queries for the keys it owns and forwards the others to their owner.
 */
public final class ControlApi implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlApi.class);

  private final Javalin app;
  private final TopologyService topology;
  private final Resources resources;

  private ControlApi(Javalin app, TopologyService topology, Resources resources) {
    this.app = app;
    this.topology = topology;
    this.resources = resources;
  }

  /**
   * Starts the control API; when any step fails, everything started until then (clients, their threads, the
   * HTTP server, the topology) is closed in reverse order before the failure is thrown.
   */
  public static ControlApi start(ApiConfig config) {
    Resources resources = new Resources();
    try {
      return start(config, resources);
    } catch (RuntimeException | Error e) {
      resources.closeAll(e);
      throw e;
    }
  }

  /**
   * The HTTP server starts before the topology, whose {@code application.server} is the port it bound; its
   * routes answer 503 until their handlers are wired. Closed in reverse: the routes stop answering, open
   * streams are cut, then the services go and the HTTP server with them.
   */
  private static ControlApi start(ApiConfig config, Resources resources) {
    RegistrationWriter writer = resources.add(new RegistrationWriter(config.bootstrapServers(), config.kafka()));
    RegistrationTable table = resources.add(new RegistrationTable(config.bootstrapServers(), config.kafka(),
        "seismo-api-registration-table").start());
    ChangeFeed feed = resources.add(new ChangeFeed(config.bootstrapServers(), config.kafka()).start());
    NotifyHandler notify = resources.add(new NotifyHandler(table, config.bootstrapServers(), config.kafka(),
        Clock.systemUTC(), config.topology().outputFormat()));
    AlertHistory alertHistory = resources.add(new AlertHistory(config.bootstrapServers(), config.kafka(),
        "seismo-api-alert-history").start());
    Observability observability = resources.add(new Observability(config.metricsStreamsTasks()));
    Registrations registrations = Registrations.of(table, writer);

    TokenAuth auth = new TokenAuth(config.writeTokens(), config.readTokens());
    RateLimiter limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System::nanoTime);
    RateLimiter internalLimiter = new RateLimiter(config.rateLimitPerSecond() * ApiRoutes.INTERNAL_RATE_FACTOR,
        config.rateLimitBurst() * ApiRoutes.INTERNAL_RATE_FACTOR, System::nanoTime);
    Handlers handlers = new Handlers()
        .wire(notify)
        .wire(new AlertHandlers(registrations, alertHistory, notify.deliveryTable()));
    Javalin app = ApiServer.create(config.maxRequestBytes(),
        new ApiRoutes(handlers, auth, limiter, internalLimiter, observability), observability);
    resources.add(app::stop);
    app.start(config.port());
    int port = app.port();

    TopologyService topology = resources.add(TopologyService.start(
        config.topology().withApplicationServer(config.advertisedHost() + ":" + port)));
    observability.bind(topology.streams(), config.metricsMaxApis());
    HostInfo self = new HostInfo(config.advertisedHost(), port);
    StoreQueryService queries = new StoreQueryService(topology.streams(), new MetadataService(topology.streams(), self));
    resources.add(queries::close);
    Admin admin = Admin.create(adminProperties(config));
    resources.add(() -> admin.close(Duration.ofSeconds(5)));
    DlqService dlq = resources.add(new DlqService(config.bootstrapServers(), config.kafka(),
        config.advertisedHost() + "-" + port, Clock.systemUTC(), ApiServer.JSON));
    OpenStreams streams = resources.add(new OpenStreams(config.stream(), System::nanoTime));
    observe(observability, streams);

    RegistrationValidator validator = new RegistrationValidator(config.minPollIntervalMs(),
        AddressGuard.allowing(config.allowHosts()), config.secretNames());
    handlers.wire(new RegistrationHandlers(validator, registrations, queries, Clock.systemUTC()))
        .wire(new BatchHandler(validator, writer, table, Clock.systemUTC()))
        .wire(new FieldHandlers(registrations, queries, Clock.systemUTC()))
        .wire(new IgnoreHandler(registrations, Clock.systemUTC()))
        .wire(new ApiHandlers(registrations, queries, Clock.systemUTC()))
        .wire(new StreamHandler(auth, StreamHandler.Source.of(table, queries), feed, streams))
        .wire(new DlqHandlers(auth, dlq, ApiServer.JSON))
        .wire(new SystemHandlers(topology.streams(), self, queries, admin, config.topology().applicationId(),
            config.ingestGroupId(), config.ingestUrls(), table, Clock.systemUTC(), ApiServer.JSON))
        .wire(new HealthHandlers(topology.streams(), () -> topicNames(admin)));
    resources.add(handlers);
    log.info("control api started port={} advertised={}:{}", port, config.advertisedHost(), port);
    return new ControlApi(app, topology, resources);
  }

  private static void observe(Observability observability, OpenStreams streams) {
    observability.gauge("seismo.api.streams.open", "open /apis/{id}/stream connections", streams, OpenStreams::open);
    observability.counter("seismo.api.stream.sent.bytes", "bytes written to /apis/{id}/stream clients (heartbeats included)",
        streams, OpenStreams::sentBytes);
    for (OpenStreams.Cause cause : OpenStreams.Cause.values()) {
      observability.counter("seismo.api.streams.cut", "stream clients cut off for not taking what they are sent",
          "cause", cause.name().toLowerCase(Locale.ROOT), streams, open -> open.cutOffs(cause));
    }
  }

  private static Set<String> topicNames(Admin admin) {
    try {
      return admin.listTopics().names().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Properties adminProperties(ApiConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
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
  public List<String> routes() {
    return ApiServer.routes(app);
  }

  /** Closes what {@link #start} opened, in reverse: the same list a failed start closes. */
  @Override
  public void close() {
    resources.closeAll();
    log.info("control api stopped");
  }
}
