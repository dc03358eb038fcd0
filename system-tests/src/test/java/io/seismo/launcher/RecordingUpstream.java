package io.seismo.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP upstream (JDK HttpServer) that records every request it served: {@code GET /<apiId>}
 * answers {@code {"api":"<apiId>","n":<n>}} where n counts that API's requests from 1, so every poll
 * on the raw topic names the one request it was taken from (its body), and the tests can compare the
 * requests served with the polls delivered, one by one.
 */
final class RecordingUpstream implements AutoCloseable {

  /** One answered request: which API, its number, and when the answer had been written. */
  record Served(String apiId, long n, Instant at) {}

  private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final List<Served> served = new CopyOnWriteArrayList<>();

  private RecordingUpstream(HttpServer server) {
    this.server = server;
  }

  static RecordingUpstream start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      RecordingUpstream upstream = new RecordingUpstream(server);
      server.createContext("/", upstream::handle);
      server.setExecutor(upstream.executor);
      server.start();
      return upstream;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String url(String apiId) {
    return "http://localhost:" + server.getAddress().getPort() + "/" + apiId;
  }

  /** Every request answered so far, in the order the answers were written. */
  List<Served> served() {
    return List.copyOf(served);
  }

  /** The request number n in a body this upstream answered (a poll's body), or -1. */
  static long n(ByteBuffer body) {
    if (body == null) {
      return -1;
    }
    byte[] bytes = new byte[body.remaining()];
    body.duplicate().get(bytes);
    Matcher matcher = N.matcher(new String(bytes, StandardCharsets.UTF_8));
    return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String apiId = exchange.getRequestURI().getPath().substring(1);
      long n = counters.computeIfAbsent(apiId, id -> new AtomicLong()).incrementAndGet();
      byte[] body = ("{\"api\":\"" + apiId + "\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      // no keep-alive: a pooled connection the server closes as the client reuses it fails a poll unanswered
      exchange.getResponseHeaders().set("Connection", "close");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      served.add(new Served(apiId, n, Instant.now()));
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
