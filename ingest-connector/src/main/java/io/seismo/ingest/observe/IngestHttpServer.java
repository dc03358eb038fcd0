package io.seismo.ingest.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process's HTTP surface, on the JDK's HTTP server: {@code GET /metrics} (Prometheus text),
 * {@code GET /health/live} (the process answers) and {@code GET /health/ready} (200 once the registrations
 * of its partitions are loaded and Kafka answers, 503 otherwise, with the reason). Nothing else.
 */
public final class IngestHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestHttpServer.class);

  /** What /health/ready reports. */
  public record Readiness(boolean registrationsLoaded, boolean kafkaReachable) {
    public boolean ready() {
      return registrationsLoaded && kafkaReachable;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("seismo-ingest-http-", 0).factory());
  private final IngestMetrics metrics;
  private final Supplier<Readiness> readiness;

  public IngestHttpServer(int port, IngestMetrics metrics, Supplier<Readiness> readiness) {
    this.metrics = metrics;
    this.readiness = readiness;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + " (SEISMO_INGEST_HTTP_PORT)", e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    log.info("ingest http server started port={} paths=/metrics,/health/live,/health/ready", port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean known = path.equals("/metrics") || path.equals("/health/live") || path.equals("/health/ready");
      if (!known) {
        problem(exchange, 404, "Not found", "no route " + path + "; this server has /metrics, /health/live and /health/ready");
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        problem(exchange, 405, "Method not allowed", method + " is not allowed on " + path);
        return;
      }
      switch (path) {
        case "/metrics" -> send(exchange, 200, IngestMetrics.CONTENT_TYPE, metrics.scrape());
        case "/health/live" -> send(exchange, 200, "application/json", "{\"status\":\"UP\"}");
        default -> {
          Readiness now = readiness.get();
          send(exchange, now.ready() ? 200 : 503, "application/json", "{\"status\":\"" + (now.ready() ? "UP" : "DOWN")
              + "\",\"registrations\":\"" + (now.registrationsLoaded() ? "LOADED" : "LOADING")
              + "\",\"kafka\":\"" + (now.kafkaReachable() ? "REACHABLE" : "UNREACHABLE") + "\"}");
        }
      }
    } catch (RuntimeException e) {
      log.error("ingest http request failed path={} error={}", exchange.getRequestURI().getPath(), e.toString(), e);
    }
  }

  private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    send(exchange, status, "application/problem+json", JSON.writeValueAsString(problem));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
