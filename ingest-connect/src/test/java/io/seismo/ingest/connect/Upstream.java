package io.seismo.ingest.connect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP upstream (the JDK's server) that records every request it answered, for the tests' independent
 * count: {@code GET /doc/<name>} answers the document set for it with {@code ETag: "<version>"} and 304 to a
 * matching {@code If-None-Match}; {@code GET /sse/<name>} is an event stream whose events have ids 1, 2, 3, …
 * (one every 200 ms), resuming after the {@code Last-Event-ID} a client sends.
 */
final class Upstream implements AutoCloseable {

  /** One request answered: path, the validator and event id it carried, the Authorization header, the status. */
  record Request(String path, String ifNoneMatch, String lastEventId, String authorization, int status) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  Upstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/doc/", this::document);
    server.createContext("/sse/", this::stream);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void version(String name, int version) {
    versions.put(name, version);
  }

  static String body(String name, int version) {
    return "{\"name\":\"" + name + "\",\"version\":" + version + ",\"items\":[1,2,3]}";
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void document(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String name = path.substring("/doc/".length());
    int version = versions.getOrDefault(name, 1);
    String etag = "\"" + version + "\"";
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    try (exchange) {
      exchange.getResponseHeaders().set("ETag", etag);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      if (etag.equals(ifNoneMatch)) {
        requests.add(new Request(path, ifNoneMatch, null, exchange.getRequestHeaders().getFirst("Authorization"), 304));
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      byte[] body = body(name, version).getBytes(StandardCharsets.UTF_8);
      requests.add(new Request(path, ifNoneMatch, null, exchange.getRequestHeaders().getFirst("Authorization"), 200));
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void stream(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
    requests.add(new Request(path, null, lastEventId, exchange.getRequestHeaders().getFirst("Authorization"), 200));
    long next = lastEventId == null ? 1 : Long.parseLong(lastEventId) + 1;
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      while (!closed) {
        out.write(("id: " + next + "\nevent: data\ndata: {\"tick\":" + next + "}\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        next++;
        Thread.sleep(200);
      }
    } catch (IOException | InterruptedException e) {
      // the client went away (a task stopped): the stream ends
    }
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    executor.shutdownNow();
  }
}
