package io.seismo.ingest.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IngestHttpServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldAnswerReadinessFromItsStateWhenAsked() throws Exception {
    AtomicReference<IngestHttpServer.Readiness> state =
        new AtomicReference<>(new IngestHttpServer.Readiness(false, true));
    try (IngestMetrics metrics = new IngestMetrics(); IngestHttpServer server = new IngestHttpServer(0, metrics, state::get)) {
      HttpResponse<String> loading = send(server, "GET", "/health/ready");
      assertThat(loading.statusCode()).isEqualTo(503);
      assertThat(loading.body()).isEqualTo("{\"status\":\"DOWN\",\"registrations\":\"LOADING\",\"kafka\":\"REACHABLE\"}");

      state.set(new IngestHttpServer.Readiness(true, true));
      HttpResponse<String> ready = send(server, "GET", "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"registrations\":\"LOADED\",\"kafka\":\"REACHABLE\"}");

      state.set(new IngestHttpServer.Readiness(true, false));
      assertThat(send(server, "GET", "/health/ready").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void shouldAnswerProblemJsonWhenThePathOrMethodIsWrong() throws Exception {
    try (IngestMetrics metrics = new IngestMetrics();
         IngestHttpServer server = new IngestHttpServer(0, metrics, () -> new IngestHttpServer.Readiness(true, true))) {
      HttpResponse<String> missing = send(server, "GET", "/nope%22%0A");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(new ObjectMapper().readTree(missing.body()).path("detail").asText())
          .isEqualTo("no route /nope\"\n; this server has /metrics, /health/live and /health/ready");

      HttpResponse<String> post = send(server, "POST", "/metrics");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

      HttpResponse<String> metricsPage = send(server, "GET", "/metrics");
      assertThat(metricsPage.statusCode()).isEqualTo(200);
      assertThat(metricsPage.body().lines()).contains("seismo_ingest_polls_total{outcome=\"ok\"} 0.0");
    }
  }

  private static HttpResponse<String> send(IngestHttpServer server, String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
