package io.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeismoTest {

  @Test
  void shouldFailWithOneClearLineAndExitOneWhenApiIsUnreachable() {
    StringWriter err = new StringWriter();

    int code = Seismo.run(new String[] {"--api", "http://127.0.0.1:1", "status", "x"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err, true));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("seismo: cannot reach the control API at http://127.0.0.1:1")
        .doesNotContain("\n");
  }

  @Test
  void shouldExitTwoOnBadUsage() {
    StringWriter err = new StringWriter();

    int code = Seismo.run(new String[] {"register"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter");
  }

  @Test
  void shouldDeriveIdFromTheUrlWhenNoneIsGiven() {
    assertThat(Seismo.Register.deriveId("https://api.example.org/v1/Weather?x=1")).isEqualTo("api.example.org-v1-weather");
  }

  /** The interval reaches the control API (a plain JDK HttpServer here) as the documented durations say. */
  @ParameterizedTest(name = "--interval {0} → {1} ms")
  @CsvSource({"250ms, 250", "5s, 5000", "30S, 30000", "2m, 120000", "1h, 3600000", "1d, 86400000", "PT90S, 90000",
      "pt1m30s, 90000", "P1D, 86400000"})
  void shouldSendTheIntervalInMillisecondsWhenGivenWithAnyDocumentedUnit(String interval, long millis) throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/apis", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] answer = "{\"apiId\":\"x\",\"version\":1,\"url\":\"https://example.org/\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(201, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try {
      StringWriter err = new StringWriter();
      int code = Seismo.run(new String[] {"--api", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "t",
          "register", "https://example.org/", "--id", "x", "--interval", interval},
          new PrintWriter(new StringWriter()), new PrintWriter(err, true));

      assertThat(err.toString()).isEmpty();
      assertThat(code).isEqualTo(0);
      assertThat(bodies).hasSize(1);
      assertThat(ControlApiClient.json().readTree(bodies.get(0)).path("pollIntervalMs").asLong()).isEqualTo(millis);
    } finally {
      server.stop(0);
    }
  }

  @ParameterizedTest
  @CsvSource({"register, https://example.org/, --interval", "replay, --from=2026-11-24T00:00:00Z, --timeout"})
  void shouldExitTwoNamingTheOptionWhenADurationHasNoUnit(String command, String argument, String option) {
    StringWriter err = new StringWriter();

    int code = Seismo.run(new String[] {"--api", "http://127.0.0.1:1", command, argument, option, "30"},
        new PrintWriter(new StringWriter()), new PrintWriter(err, true));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines().findFirst().orElseThrow()).isEqualTo("Invalid value for option '" + option
        + "': '30' is not a duration with a unit like 500ms, 5s, 2m, 1h, 1d or ISO-8601 like PT5S");
  }
}
