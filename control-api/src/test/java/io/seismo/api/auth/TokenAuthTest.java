package io.seismo.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.seismo.api.error.ProblemException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Over real HTTP: 401 without a valid token, 403 for a read token that tries to write, 200 with the right scope. */
class TokenAuthTest {

  private final TokenAuth auth = new TokenAuth(List.of("writer-token"), List.of("reader-token"));
  private final HttpClient client = HttpClient.newHttpClient();
  private Javalin app;

  @BeforeEach
  void start() {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.post("/write", ctx -> {
        auth.requireWrite(ctx);
        ctx.result("ok");
      });
      config.routes.get("/read", ctx -> {
        auth.requireRead(ctx);
        ctx.result("ok");
      });
      config.routes.exception(ProblemException.class, (e, ctx) -> {
        e.headers().forEach(ctx::header);
        ctx.status(e.status()).result(e.getMessage());
      });
    }).start(0);
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void shouldTellMissingInvalidAndInsufficientTokensApart() throws Exception {
    assertThat(call("POST", "/write", null)).isEqualTo(401);
    assertThat(call("POST", "/write", "wrong")).isEqualTo(401);
    assertThat(call("POST", "/write", "reader-token")).isEqualTo(403);
    assertThat(call("POST", "/write", "writer-token")).isEqualTo(200);
    assertThat(call("GET", "/read", null)).isEqualTo(401);
    assertThat(call("GET", "/read", "reader-token")).isEqualTo(200);
    assertThat(call("GET", "/read", "writer-token")).isEqualTo(200);
  }

  private int call(String method, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void shouldChallengeWithWwwAuthenticateWhenAnswering401Or403() throws Exception {
    assertThat(challenge("POST", "/write", null)).isEqualTo("Bearer realm=\"seismo\"");
    assertThat(challenge("POST", "/write", "wrong")).isEqualTo("Bearer realm=\"seismo\", error=\"invalid_token\"");
    assertThat(challenge("GET", "/read", "wrong")).isEqualTo("Bearer realm=\"seismo\", error=\"invalid_token\"");
    assertThat(challenge("POST", "/write", "reader-token")).isEqualTo("Bearer realm=\"seismo\", error=\"insufficient_scope\"");
    assertThat(challenge("POST", "/write", "writer-token")).isNull();
  }

  private String challenge(String method, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).headers()
        .firstValue("WWW-Authenticate").orElse(null);
  }
}
