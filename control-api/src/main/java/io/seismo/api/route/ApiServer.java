package io.seismo.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.seismo.api.error.JettyProblemHandler;
import io.seismo.api.error.ProblemAnswers;
import io.seismo.api.observe.Observability;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.MDC;

/**
 * The control API's Javalin server: JSON, limits and static files (the dashboard, Swagger UI), the
 * {@link ApiRoutes} tree, problem+json answers for every failure, and request metrics. Not started.
 */
public final class ApiServer {

  /** The JSON of every answer: ISO-8601 instants, nulls written. */
  public static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();

  /** The listening socket's accept queue: the JDK's default (50) overflows on a burst of new connections. */
  public static final int ACCEPT_QUEUE = 1024;

  private ApiServer() {}

  public static Javalin create(long maxRequestBytes, ApiRoutes routes, Observability observability) {
    return Javalin.create(javalin -> {
      javalin.jsonMapper(new JavalinJackson(JSON, false));
      javalin.http.maxRequestSize = maxRequestBytes;
      javalin.http.prefer405over404 = true;
      javalin.concurrency.useVirtualThreads = true;
      javalin.startup.showJavalinBanner = false;
      // requests Jetty refuses before any route (414, 431, malformed): problem+json too
      javalin.jetty.modifyServer(server -> {
        server.setErrorHandler(new JettyProblemHandler());
        sizeAcceptQueue(server);
      });
      javalin.staticFiles.add(files -> {
        files.hostedPath = "/dashboard";
        files.directory = "/dashboard";
        files.location = Location.CLASSPATH;
        files.headers = Map.of("Cache-Control", "no-cache");
      });
      javalin.staticFiles.add(files -> { // Swagger UI (from its webjar) on /openapi.yaml
        files.hostedPath = "/docs";
        files.directory = "/docs";
        files.location = Location.CLASSPATH;
        files.headers = Map.of("Cache-Control", "no-cache");
      });
      javalin.staticFiles.enableWebjars();
      QueryParams.register(javalin.validation);
      javalin.routes.apiBuilder(routes);
      javalin.requestLogger.http((ctx, millis) -> {
        MDC.remove("apiId");
        observability.recordRequest(ctx, millis);
      });
      ProblemAnswers.register(javalin.routes, maxRequestBytes);
    });
  }

  /**
   * Gives the server's connectors an accept queue of {@link #ACCEPT_QUEUE} when it starts: Javalin adds its
   * connector after {@code modifyServer} hooks run and before it starts the server.
   */
  public static void sizeAcceptQueue(Server server) {
    server.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        for (Connector connector : server.getConnectors()) {
          if (connector instanceof ServerConnector serverConnector) {
            serverConnector.setAcceptQueueSize(ACCEPT_QUEUE);
          }
        }
      }
    });
  }

  /**
   * Every HTTP route of {@code app} as "METHOD /path/{param}", for checking the OpenAPI document against it.
   * HEAD routes are left out: each one answers as its GET does, without the body.
   */
  public static List<String> routes(Javalin app) {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .filter(parsed -> parsed.endpoint.method.isHttpMethod())
        .filter(parsed -> parsed.endpoint.method != HandlerType.HEAD)
        .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
        .sorted().toList();
  }
}
