package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JSON over HTTP to the control API. Every failure becomes a {@link CliException}: an answer from 400 on
 * carries the server's problem+json (its title, detail and each {@code errors[]} on lines of their own),
 * an unreachable server or a 5xx exits 3, a 4xx exits 1.
 */
final class ControlApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers of 429 are waited out (their Retry-After, at most this often) before giving up. */
  private static final int MAX_RATE_LIMITED = 10;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  ControlApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /** An answer below 400: its status, ETag (or null) and JSON body (a null node when empty). */
  record Answer(int status, String etag, JsonNode body) {}

  JsonNode get(String path) {
    return exchange("GET", path, null, Map.of()).body();
  }

  JsonNode post(String path, JsonNode body) {
    return exchange("POST", path, body, Map.of()).body();
  }

  /**
   * Sends a request with these extra headers; 429 is retried after its Retry-After; any other answer from
   * 400 on is a {@link CliException} carrying the server's problem.
   */
  Answer exchange(String method, String path, JsonNode body, Map<String, String> headers) {
    HttpRequest.Builder request = request(path, headers).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = send(path, request, HttpResponse.BodyHandlers.ofString(), text -> text);
    return new Answer(response.statusCode(), response.headers().firstValue("ETag").orElse(null), parse(response.body()));
  }

  /**
   * Changes a registration under optimistic locking: reads it (GET /apis/{id}, for its ETag), then sends
   * {@code method} with {@code If-Match} of that ETag and the body {@code change} makes of what was read
   * (null: none). A 412 — someone else wrote in between — is explained.
   */
  Answer changeRegistration(String apiId, String method, Function<Answer, JsonNode> change) {
    String path = "/apis/" + segment(apiId);
    Answer read = exchange("GET", path, null, Map.of());
    if (read.etag() == null) {
      throw CliException.unavailable("GET " + path + " answered without an ETag; cannot send If-Match");
    }
    try {
      return exchange(method, path, change.apply(read), Map.of("If-Match", read.etag()));
    } catch (CliException e) {
      if (e.httpStatus() != 412) {
        throw e;
      }
      throw e.withMessage(e.getMessage() + System.lineSeparator() + "  " + apiId
          + " was changed by someone else since it was read; run again");
    }
  }

  /**
   * Every item of a cursor-paged list ({@code GET /apis?…&after=}), page by page (following {@code next}),
   * until {@code each} answers false or the last page.
   */
  void forEachItem(String pathAndQuery, String after, Predicate<JsonNode> each) {
    String separator = pathAndQuery.contains("?") ? "&" : "?";
    while (true) {
      JsonNode page = get(pathAndQuery + (after == null ? "" : separator + "after=" + query(after)));
      for (JsonNode item : page.path("items")) {
        if (!each.test(item)) {
          return;
        }
      }
      if (!page.path("next").isTextual()) {
        return;
      }
      after = page.path("next").asText();
    }
  }

  /**
   * Follows a Server-Sent Events stream from {@code lastEventId} (null: from the start), handing each event
   * to {@code each} until it answers false (then true is returned) or the server ends the stream (false).
   */
  boolean stream(String path, String lastEventId, Predicate<EventStreamLines.Event> each) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "text/event-stream");
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response = send(path, request(path, headers).GET(), HttpResponse.BodyHandlers.ofLines(),
        lines -> lines.collect(Collectors.joining("\n")));
    try (Stream<String> lines = response.body()) {
      return EventStreamLines.read(lines, each);
    } catch (UncheckedIOException e) {
      throw CliException.unavailable("the stream " + base + path + " broke off: " + e.getCause().getMessage());
    }
  }

  private HttpRequest.Builder request(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return request;
  }

  private <T> HttpResponse<T> send(String path, HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler,
                                   Function<T, String> text) {
    try {
      for (int attempt = 1; ; attempt++) {
        HttpResponse<T> response = http.send(request.build(), handler);
        if (response.statusCode() < 400) {
          return response;
        }
        JsonNode problem = parse(text.apply(response.body()));
        if (response.statusCode() == 429 && attempt < MAX_RATE_LIMITED) {
          long seconds = response.headers().firstValue("Retry-After").map(ControlApiClient::seconds).orElse(1L);
          Thread.sleep(Duration.ofSeconds(Math.min(Math.max(seconds, 1), 60)));
          continue;
        }
        throw CliException.answered(response.statusCode(), problem, ProblemMessages.describe(response.statusCode(), problem));
      }
    } catch (ConnectException e) {
      throw CliException.unavailable("cannot reach the control API at " + base
          + " (is Seismo running? set --api or SEISMO_API_URL)");
    } catch (IOException e) {
      throw CliException.unavailable("request to " + base + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.unavailable("interrupted");
    }
  }

  private static long seconds(String retryAfter) {
    try {
      return Long.parseLong(retryAfter.strip());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static JsonNode parse(String body) {
    if (body.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  /** A path segment (an apiId) as the URL needs it. */
  static String segment(String value) {
    return query(value).replace("+", "%20");
  }

  /** A query parameter value as the URL needs it. */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static ObjectMapper json() {
    return JSON;
  }
}
