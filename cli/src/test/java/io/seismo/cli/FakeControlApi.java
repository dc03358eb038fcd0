package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control API as a JDK HttpServer answering canned bodies shaped as openapi.yaml documents them: each
 * route ({@code METHOD /path?query}, matched exactly) answers its responses in turn, the last one again
 * and again; anything else is a 404 problem naming what was asked. Records every request.
 */
final class FakeControlApi implements AutoCloseable {

  /** What the CLI sent; header names in lower case. */
  record Request(String method, String target, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode json() {
      try {
        return ControlApiClient.json().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  record Response(int status, Map<String, String> headers, String body) {
    Response withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Response(status, more, body);
    }
  }

  /** What a run of the CLI printed and its exit code. */
  record Run(int code, String out, String err) {}

  static Response json(int status, String body) {
    return new Response(status, Map.of("Content-Type", "application/json"), body);
  }

  /** An RFC 9457 problem as the control API writes it, with {@code errors} from field/message pairs. */
  static Response problem(int status, String type, String title, String detail, String... fieldsAndMessages) {
    ObjectNode problem = ControlApiClient.json().createObjectNode()
        .put("type", "https://seismo.io/problems/" + type).put("title", title).put("status", status).put("detail", detail);
    if (fieldsAndMessages.length > 0) {
      var errors = problem.putArray("errors");
      for (int i = 0; i < fieldsAndMessages.length; i += 2) {
        errors.addObject().put("field", fieldsAndMessages[i]).put("message", fieldsAndMessages[i + 1]);
      }
    }
    return new Response(status, Map.of("Content-Type", "application/problem+json"), problem.toString());
  }

  static Response eventStream(String events) {
    return new Response(200, Map.of("Content-Type", "text/event-stream"), events);
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Response>> routes = new ConcurrentHashMap<>();

  FakeControlApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  /** {@code METHOD target} answers these, in turn (the last one from then on). */
  FakeControlApi on(String method, String target, Response... responses) {
    routes.put(method + " " + target, new ArrayDeque<>(List.of(responses)));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The one request sent with this method and target. */
  Request only(String method, String target) {
    List<Request> matching = requests.stream().filter(r -> r.method().equals(method) && r.target().equals(target)).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + method + " " + target + ", got " + requests);
    }
    return matching.getFirst();
  }

  /** Runs seismo against this server, with a token in the environment. */
  Run seismo(String... args) {
    return seismoWith(Map.of("SEISMO_API_URL", url(), "SEISMO_TOKEN", "env-token"), args);
  }

  /** Runs seismo with exactly this environment. */
  static Run seismoWith(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Seismo.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    return new Run(code, out.toString(), err.toString());
  }

  private void answer(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    String target = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Request(exchange.getRequestMethod(), target, headers, body));
    Deque<Response> answers = routes.get(exchange.getRequestMethod() + " " + target);
    Response response;
    if (answers == null) {
      response = problem(404, "not-found", "Not found", "the fake has no route " + exchange.getRequestMethod() + " " + target);
    } else {
      synchronized (answers) {
        response = answers.size() > 1 ? answers.poll() : answers.peek();
      }
    }
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    response.headers().forEach(exchange.getResponseHeaders()::add);
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Canned bodies shaped as openapi.yaml documents them. */
  static final class Bodies {
    private Bodies() {}

    static final String ETAG_V3 = "\"3-1795514400000\"";

    /** A registration as GET /apis/{id} serves it (every field present; a secret header redacted). */
    static String registration(String apiId, int version, String desiredState) {
      return """
          {"apiId":"%s","url":"https://api.example.org/v1/%s","mode":"POLL","pollIntervalMs":60000,\
          "headers":{"Authorization":"<redacted>"},"jsonPointer":null,"desiredState":"%s","notifyWebhooks":[],\
          "alertOnChange":false,"version":%d,"createdAt":"2026-11-24T10:00:00Z","updatedAt":"2026-11-24T11:00:00Z",\
          "notifyChannels":[],"ignore":[],"select":[],"unorderedArrays":[],"arrayKeys":{},"rules":[],"silences":[],\
          "schedule":null}""".formatted(apiId, apiId, desiredState, version);
    }

    /** An analysed status (GET /apis/{id}/status, and embedded by GET /apis?include=status). */
    static String status(String apiId, String state) {
      return """
          {"apiId":"%s","state":"%s","pollIntervalMs":60000,"samples":120,"payloads":100,"changes":12,"changeRatio":0.12,\
          "errors":3,"notModified":17,"consecutiveFailures":0,"lastSampleAt":"2026-11-24T11:59:00Z",\
          "lastChangeAt":"2026-11-24T11:40:00Z","lastHttpStatus":200,"lastLatencyMs":85,"lastPayloadBytes":1536,\
          "lastDocumentBytes":1400,"totalPayloadBytes":184320,"totalWireBytes":90000,"efficiency":{"bytesPolled":184320,\
          "bytesConditional":150000,"bytesStreamed":30000,"conditionalSavingRatio":0.186,"streamingSavingRatio":0.837},\
          "lastContentHash":"9f2c41e07b3d8a15","lastError":null,"updatedAt":"2026-11-24T11:59:00Z","lastPayloadJson":true,\
          "schedule":null}""".formatted(apiId, state);
    }

    /** A list entry of GET /apis?include=status: the registration and its status (null until analysed). */
    static String listed(String apiId, String desiredState, String statusState) {
      ObjectNode item = (ObjectNode) parse(registration(apiId, 1, desiredState));
      item.set("status", statusState == null ? ControlApiClient.json().nullNode() : parse(status(apiId, statusState)));
      return item.toString();
    }

    static JsonNode parse(String json) {
      try {
        return ControlApiClient.json().readTree(json);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
