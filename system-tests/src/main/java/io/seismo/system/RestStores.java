package io.seismo.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The stores over REST, spread over the control API instances (either answers for every API). */
final class RestStores implements Verifier.Stores {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> apiUrls;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  RestStores(List<String> apiUrls) {
    this.apiUrls = List.copyOf(apiUrls);
  }

  @Override
  public JsonNode status(String apiId, int index) throws IOException {
    return get(apiUrls.get(index % apiUrls.size()) + "/apis/" + enc(apiId) + "/status");
  }

  @Override
  public JsonNode metrics(String apiId, String window, Instant from, Instant to, int index) throws IOException {
    return get(apiUrls.get(index % apiUrls.size()) + "/apis/" + enc(apiId) + "/metrics?window=" + window + "&from=" + from
        + "&to=" + to);
  }

  @Override
  public int registration(String apiId) throws IOException {
    return statusCode(apiUrls.getFirst() + "/apis/" + enc(apiId));
  }

  private JsonNode get(String url) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return JSON.readTree(response.body());
        }
        if (attempt >= 5) {
          throw new IOException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
      } catch (IOException e) {
        if (attempt >= 5) {
          throw e;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      sleep(1000L * attempt);
    }
  }

  private int statusCode(String url) throws IOException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String enc(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
