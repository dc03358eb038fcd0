package io.seismo.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A local HTTP server with JSON APIs of known behaviour, so every Seismo feature shows at once:
 *
 * <ul>
 *   <li>{@code /static}: never changes (ETag / 304 after the first poll).</li>
 *   <li>{@code /ticker}: a price that changes every tick.</li>
 *   <li>{@code /append}: an array that grows by one entry every tick (patches are single {@code add}s).</li>
 *   <li>{@code /flaky}: every third request fails with 503, every fifth answers after 1.5 s.</li>
 *   <li>{@code /large}: about 200 KB of JSON in which one field changes every tick.</li>
 *   <li>{@code /stream}: a Streamdata.io-style SSE stream of the ticker: a {@code data} snapshot, then a
 *       {@code patch} every tick; asked without {@code Accept: text/event-stream}, the ticker's JSON, as a
 *       streaming proxy answers (so one URL can be polled and streamed: mode BOTH).</li>
 *   <li>{@code /volatile}: a reading that changes every 30 ticks, wrapped in a server timestamp and a request
 *       id that differ on every answer (what makes every poll of a real API look like a change).</li>
 *   <li>{@code /shuffled}: a set of cluster members answered in a different order on every request; a
 *       member joins or leaves every 10 ticks.</li>
 *   <li>{@code /records}: orders keyed by {@code id}, newest first: every tick a new order is inserted at
 *       the front and one order's status changes (by position, every element would shift).</li>
 *   <li>{@code /minutely}: a report that changes every minute for the first {@value #MINUTELY_UPDATES}
 *       minutes after the upstream started, then never again (an API that "should update every minute"
 *       and stops: its NO_CHANGE rule fires).</li>
 *   <li>any path set with {@link #put(String, String)}: exactly that body (tests script changes).</li>
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
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Supplier<String>> routes = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int tickSeconds;
  private final AtomicLong flakyRequests = new AtomicLong();
  private final AtomicLong volatileRequests = new AtomicLong();
  /** How many times {@code /minutely} changes before it stops. */
  static final int MINUTELY_UPDATES = 3;
  private final Instant started;

  private DemoUpstream(HttpServer server, Clock clock, int tickSeconds) {
    this.server = server;
    this.clock = clock;
    this.tickSeconds = tickSeconds;
    this.started = clock.instant();
  }

  /** Starts on {@code port} (0: any free port) on the loopback interface. */
  public static DemoUpstream start(int port, int tickSeconds, Clock clock) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      DemoUpstream upstream = new DemoUpstream(server, clock, tickSeconds);
      upstream.routes.put("/static", () -> STATIC);
      upstream.routes.put("/ticker", () -> ticker(upstream.tick()));
      upstream.routes.put("/stream", () -> ticker(upstream.tick()));
      upstream.routes.put("/append", () -> append(upstream.tick()));
      upstream.routes.put("/large", () -> large(upstream.tick()));
      upstream.routes.put("/volatile", () -> volatileReading(upstream.tick(), upstream.clock.instant(),
          upstream.volatileRequests.incrementAndGet()));
      upstream.routes.put("/shuffled", () -> shuffled(upstream.tick(), upstream.volatileRequests.incrementAndGet()));
      upstream.routes.put("/records", () -> records(upstream.tick()));
      upstream.routes.put("/minutely", () -> minutely(Math.min(MINUTELY_UPDATES,
          Duration.between(upstream.started, upstream.clock.instant()).toMinutes())));
      server.createContext("/", upstream::handle);
      server.setExecutor(upstream.executor);
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

  private long tick() {
    return clock.instant().getEpochSecond() / tickSeconds;
  }

  /** Time to the start of the next tick (and a few milliseconds into it). */
  private long untilNextTickMillis() {
    long tickMillis = tickSeconds * 1000L;
    return tickMillis - Math.floorMod(clock.millis(), tickMillis) + 5;
  }

  static String minutely(long report) {
    return "{\"feed\":\"minutely-report\",\"report\":" + report + ",\"note\":\"should update every minute\"}";
  }

  static String ticker(long tick) {
    return "{\"symbol\":\"SEISMO\",\"currency\":\"EUR\",\"tick\":" + tick + ",\"price\":" + price(tick)
        + ",\"exchange\":{\"name\":\"Demo Exchange\",\"open\":true}}";
  }

  static double price(long tick) {
    return 100 + (Math.floorMod(tick * 7919, 2000) - 1000) / 100.0;
  }

  static String append(long tick) {
    StringBuilder json = new StringBuilder("{\"feed\":\"events\",\"items\":[");
    long count = Math.floorMod(tick, 200) + 1; // grows, and starts again every 200 ticks
    for (long i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"kind\":\"event-").append(i % 5).append("\"}");
    }
    return json.append("]}").toString();
  }

  static String large(long tick) {
    StringBuilder json = new StringBuilder("{\"catalogue\":\"parts\",\"generation\":").append(tick).append(",\"parts\":[");
    for (int i = 0; i < 3000; i++) {
      json.append(i == 0 ? "" : ",").append("{\"sku\":\"P-").append(100000 + i).append("\",\"name\":\"Part number ")
          .append(i).append("\",\"stock\":").append((i * 37) % 500).append(",\"price\":").append(1 + (i % 97)).append("}");
    }
    return json.append("]}").toString();
  }

  /** A reading that changes every 30 ticks, with a fresh server time and request id on every answer. */
  static String volatileReading(long tick, Instant now, long request) {
    long reading = tick / 30;
    return "{\"meta\":{\"serverTime\":\"" + now + "\",\"requestId\":\"req-" + Long.toHexString(request * 2654435761L)
        + "\"},\"station\":\"KSFO\",\"reading\":{\"temperature\":" + (12 + Math.floorMod(reading * 7, 9))
        + ",\"unit\":\"C\"}}";
  }

  /** Members of a set, in an order that depends on the request; one joins or leaves every 10 ticks. */
  static String shuffled(long tick, long request) {
    List<String> members = new ArrayList<>();
    int count = 5 + (int) Math.floorMod(tick / 10, 4);
    for (int i = 0; i < count; i++) {
      members.add("node-" + (char) ('a' + i));
    }
    Collections.shuffle(members, new Random(request));
    return "{\"cluster\":\"demo\",\"members\":[" + String.join(",", members.stream().map(m -> "\"" + m + "\"").toList())
        + "]}";
  }

  /** Orders keyed by id, newest first: a new one in front every tick, and one order's status changed. */
  static String records(long tick) {
    StringBuilder json = new StringBuilder("{\"shop\":\"demo\",\"orders\":[");
    int count = 12;
    for (int i = 0; i < count; i++) {
      long number = tick - i;
      String status = Math.floorMod(number + tick, 3) == 0 ? "shipped" : "open";
      json.append(i == 0 ? "" : ",").append("{\"id\":\"o-").append(number).append("\",\"total\":")
          .append(10 + Math.floorMod(number * 13, 90)).append(",\"status\":\"").append(status).append("\"}");
    }
    return json.append("]}").toString();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/stream") && accepts(exchange, "text/event-stream")) {
        stream(exchange);
        return;
      }
      if (path.equals("/flaky")) {
        long n = flakyRequests.incrementAndGet();
        if (n % 3 == 0) {
          send(exchange, 503, "{\"error\":\"temporarily unavailable\"}", null);
          return;
        }
        if (n % 5 == 0) {
          sleep(1500);
        }
        send(exchange, 200, "{\"status\":\"ok\",\"request\":" + (n / 10) + "}", null);
        return;
      }
      Supplier<String> route = routes.get(path);
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

  private static boolean accepts(HttpExchange exchange, String mediaType) {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(mediaType);
  }

  /** Streamdata.io convention: {@code data} = full snapshot, {@code patch} = RFC 6902 patch to apply to it. */
  private void stream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    long tick = tick();
    write(out, "data", tick, ticker(tick));
    try {
      while (true) {
        sleep(untilNextTickMillis()); // pushed as the tick changes, as a streaming proxy pushes each change
        long next = tick();
        if (next != tick) {
          String patch = "[{\"op\":\"replace\",\"path\":\"/tick\",\"value\":" + next + "},"
              + "{\"op\":\"replace\",\"path\":\"/price\",\"value\":" + price(next) + "}]";
          write(out, "patch", next, patch);
          tick = next;
        } else {
          out.write(":\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException clientGone) {
      // the subscriber disconnected
    }
  }

  private static void write(OutputStream out, String event, long id, String data) throws IOException {
    out.write(("event: " + event + "\nid: " + id + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
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

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
