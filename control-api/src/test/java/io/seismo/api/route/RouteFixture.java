package io.seismo.api.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.seismo.api.auth.RateLimiter;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.notify.AlertHandlers;
import io.seismo.api.notify.AlertHistory;
import io.seismo.api.notify.AlertPages;
import io.seismo.api.observe.Observability;
import io.seismo.api.registration.RegistrationValidator;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.topic.DeliveryTable;
import io.seismo.schemas.Registration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The control API's real server, routes, access checks, rate limits and error answers, in process: the
 * registration table, state stores and alert history are in memory, so no Kafka. Reads need {@link #READ}
 * (or {@link #WRITE}), writes {@link #WRITE}; each caller may send {@code burst} requests, and no more, since
 * the limiter's clock stands still.
 */
final class RouteFixture implements AutoCloseable {

  static final String WRITE = "route-write";
  static final String READ = "route-read";
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  final InMemoryRegistrations registrations = new InMemoryRegistrations();
  final InMemoryStoreQueries queries = new InMemoryStoreQueries();
  final RegistrationValidator validator = new RegistrationValidator(1000,
      AddressGuard.allowing(List.of("localhost", "127.0.0.0/8", "::1/128")));
  final Handlers handlers = new Handlers();
  private final Observability observability = new Observability();
  private final DeliveryTable deliveries = new DeliveryTable("localhost:1", new Properties(), "route-test-deliveries");
  private final HttpClient http = HttpClient.newHttpClient();
  private final Javalin app;

  RouteFixture(int burst) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    long frozen = System.nanoTime();
    TokenAuth auth = new TokenAuth(List.of(WRITE), List.of(READ));
    RateLimiter limiter = new RateLimiter(1, burst, () -> frozen);
    RateLimiter internalLimiter = new RateLimiter(1, burst, () -> frozen);
    AlertPages noAlerts = new AlertPages() {
      @Override
      public boolean loaded() {
        return true;
      }

      @Override
      public AlertHistory.Page page(String apiId, String kind, String before, int limit) {
        return new AlertHistory.Page(List.of(), null);
      }
    };
    handlers.wire(new RegistrationHandlers(validator, registrations, queries, clock))
        .wire(new FieldHandlers(registrations, queries, clock))
        .wire(new IgnoreHandler(registrations, clock))
        .wire(new ApiHandlers(registrations, queries, clock))
        .wire(new AlertHandlers(registrations, noAlerts, deliveries));
    app = ApiServer.create(64 * 1024, new ApiRoutes(handlers, auth, limiter, internalLimiter, observability), observability)
        .start("127.0.0.1", 0);
  }

  /** Registers {@code apiId} (polling the loopback address) as POST /apis would, without a request. */
  Registration register(String apiId) {
    Registration registration = validator.create(("{\"apiId\":\"" + apiId + "\",\"url\":\"http://localhost:8080/"
        + apiId + "\"}").getBytes(StandardCharsets.UTF_8), NOW);
    registrations.put(registration);
    return registration;
  }

  List<String> routes() {
    return ApiServer.routes(app);
  }

  HttpResponse<String> send(String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null && !headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> send(String method, String path, String token) {
    return send(method, path, token, null, Map.of());
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  int port() {
    return app.port();
  }

  Javalin app() {
    return app;
  }

  @Override
  public void close() {
    app.stop();
    observability.close();
    deliveries.close();
    http.close();
  }
}
