package io.seismo.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A local HTTP server with JSON APIs of known behaviour, for the quickstart and the end-to-end tests:
 *
 * <ul>
 *   <li>{@code /static}: never changes; answers If-None-Match with 304.</li>
 *   <li>{@code /ticker}: a price that changes every {@code tickSeconds}.</li>
 *   <li>any path set with {@link #put(String, String)}: exactly the body set (tests script changes).</li>
 * </ul>
 * Every JSON answer carries a strong ETag of its body and honours If-None-Match.
 */
public final class DemoUpstream implements AutoCloseable {

  private static final String STATIC = """
      {"service":"weather-stations","version":3,"stations":[
        {"id":"KSFO","name":"San Francisco Intl","lat":37.619,"lon":-122.375},
        {"id":"KJFK","name":"New York JFK","lat":40.639,"lon":-73.779},
        {"id":"EGLL","name":"London Heathrow","lat":51.470,"lon":-0.454}]}""";

  private final HttpServer server;
  private final Map<String, Supplier<String>> routes = new ConcurrentHashMap<>();

  private DemoUpstream(HttpServer server) {
    this.server = server;
  }

  /** Starts on {@code port} (0: any free port) on the loopback interface. */
  public static DemoUpstream start(int port, int tickSeconds, Clock clock) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      DemoUpstream upstream = new DemoUpstream(server);
      upstream.routes.put("/static", () -> STATIC);
      upstream.routes.put("/ticker", () -> ticker(clock.instant(), tickSeconds));
      server.createContext("/", upstream::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return upstream;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the demo upstream on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** Serves exactly {@code json} at {@code path} from now on. */
  public void put(String path, String json) {
    routes.put(path, () -> json);
  }

  public String url(String path) {
    return "http://localhost:" + server.getAddress().getPort() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static String ticker(Instant now, int tickSeconds) {
    long tick = now.getEpochSecond() / tickSeconds;
    double price = 100 + (Math.floorMod(tick * 7919, 2000) - 1000) / 100.0;
    return "{\"symbol\":\"SEISMO\",\"currency\":\"EUR\",\"tick\":" + tick + ",\"price\":" + price
        + ",\"exchange\":{\"name\":\"Demo Exchange\",\"open\":true}}";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Supplier<String> route = routes.get(exchange.getRequestURI().getPath());
      if (route == null) {
        send(exchange, 404, "{\"error\":\"no such demo API\"}", null);
        return;
      }
      String body = route.get();
      String etag = "\"" + HexFormat.of().toHexDigits(body.hashCode()) + Integer.toHexString(body.length()) + "\"";
      if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        exchange.getResponseHeaders().set("ETag", etag);
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      send(exchange, 200, body, etag);
    }
  }

  private static void send(HttpExchange exchange, int status, String body, String etag) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (etag != null) {
      exchange.getResponseHeaders().set("ETag", etag);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).close();
  }
}
