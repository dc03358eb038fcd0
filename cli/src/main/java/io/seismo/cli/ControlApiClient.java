package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP to the control API; every failure becomes a {@link CliException} with one clear line. */
final class ControlApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  ControlApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  private JsonNode send(String method, String path, JsonNode body) {
    return exchange(method, path, body, java.util.Map.of()).body();
  }

  /** An answer below 400: its status, ETag (or null) and JSON body. */
  record Answer(int status, String etag, JsonNode body) {}

  /** Answers of 429 are waited out (their Retry-After, at most this often) before giving up. */
  private static final int MAX_RATE_LIMITED = 10;

  /**
   * Sends a request with these extra headers; 429 is retried after its Retry-After; any other answer from
   * 400 on is a {@link CliException} carrying the server's problem.
   */
  Answer exchange(String method, String path, JsonNode body, java.util.Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isBlank() ? JSON.nullNode() : parse(response.body());
        if (response.statusCode() == 429 && attempt < MAX_RATE_LIMITED) {
          long seconds = response.headers().firstValue("Retry-After").map(ControlApiClient::seconds).orElse(1L);
          Thread.sleep(Duration.ofSeconds(Math.min(Math.max(seconds, 1), 60)));
          continue;
        }
        if (response.statusCode() >= 400) {
          throw new CliException(describeProblem(response.statusCode(), json), json);
        }
        return new Answer(response.statusCode(), response.headers().firstValue("ETag").orElse(null), json);
      }
    } catch (ConnectException e) {
      throw new CliException("cannot reach the control API at " + base + " (is Seismo running? set --api or SEISMO_API_URL)");
    } catch (IOException e) {
      throw new CliException("request to " + base + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
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
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  static String describeProblem(int status, JsonNode problem) {
    StringBuilder line = new StringBuilder("HTTP ").append(status);
    if (problem.hasNonNull("detail")) {
      line.append(": ").append(problem.get("detail").asText());
    } else if (problem.hasNonNull("title")) {
      line.append(": ").append(problem.get("title").asText());
    }
    return line.toString();
  }

  static ObjectMapper json() {
    return JSON;
  }
}
