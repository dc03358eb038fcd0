package io.seismo.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.seismo.api.error.ProblemException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final AtomicLong now = new AtomicLong();
  private final RateLimiter limiter = new RateLimiter(10, 5, now::get);

  @Test
  void shouldAllowBurstThenLimitToRateWhenOneCallerHammers() {
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("a")).isEmpty();
    }
    assertThat(limiter.tryAcquire("a")).contains(Duration.ofMillis(100));

    now.addAndGet(Duration.ofMillis(100).toNanos());

    assertThat(limiter.tryAcquire("a")).isEmpty();
    assertThat(limiter.tryAcquire("a")).isPresent();
  }

  @Test
  void shouldShareOneBucketWhenIpv6AddressesAreInOneSlash64() {
    // one IPv6 host holds a whole /64: a fresh address per request must not be a fresh burst
    for (int i = 1; i <= 5; i++) {
      assertThat(limiter.tryAcquire(RateLimiter.addressKey("2001:db8:1:2::" + i))).isEmpty();
    }
    assertThat(limiter.tryAcquire(RateLimiter.addressKey("2001:db8:1:2:ffff:1:2:3"))).isPresent();
    assertThat(limiter.tryAcquire(RateLimiter.addressKey("[2001:db8:1:2::99]"))).isPresent();
    assertThat(limiter.tryAcquire(RateLimiter.addressKey("2001:db8:1:3::1"))).isEmpty();
    // IPv4 (also written as IPv4-mapped IPv6) stays per address
    assertThat(limiter.tryAcquire(RateLimiter.addressKey("192.0.2.1"))).isEmpty();
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquire(RateLimiter.addressKey("::ffff:192.0.2.1"))).isEmpty();
    }
    assertThat(limiter.tryAcquire(RateLimiter.addressKey("192.0.2.1"))).isPresent();
    assertThat(limiter.tryAcquire(RateLimiter.addressKey("192.0.2.2"))).isEmpty();
  }

  @Test
  void shouldBoundTheCallersItRemembersWhenManyCallersStayActive() {
    // callers that keep their buckets below full (each spent a token) are never idle enough to be dropped
    for (int i = 0; i < 3 * RateLimiter.MAX_CALLERS; i++) {
      assertThat(limiter.tryAcquire("caller-" + i)).isEmpty();
    }

    assertThat(limiter.callers()).isLessThanOrEqualTo(RateLimiter.MAX_CALLERS);
  }

  @Test
  void shouldKeepCallersApart() {
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire("a");
    }
    assertThat(limiter.tryAcquire("a")).isPresent();
    assertThat(limiter.tryAcquire("b")).isEmpty();
  }

  @Test
  void shouldLimitForgedTokensTogetherAndOneTokenHoweverSpelledWhenKeyedByPrincipal() throws Exception {
    TokenAuth auth = new TokenAuth(List.of("writer-token"), List.of("reader-token"));
    RateLimiter frozen = new RateLimiter(1, 100, now::get); // the clock never moves: no refill
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.before(ctx -> frozen.check(ctx, auth.principal(ctx)));
      config.routes.get("/read", ctx -> {
        auth.requireRead(ctx);
        ctx.result("ok");
      });
      config.routes.exception(ProblemException.class, (e, ctx) -> ctx.status(e.status()).result(e.getMessage()));
    }).start(0);
    try (HttpClient client = HttpClient.newHttpClient()) {
      Map<Integer, Integer> forged = new TreeMap<>();
      for (int i = 0; i < 150; i++) {
        forged.merge(call(client, app, "Bearer forged-" + i), 1, Integer::sum);
      }
      Map<Integer, Integer> spelled = new TreeMap<>();
      List<String> spellings = List.of("Bearer reader-token", "bearer   reader-token", "BEARER \treader-token");
      for (int i = 0; i < 150; i++) {
        spelled.merge(call(client, app, spellings.get(i % spellings.size())), 1, Integer::sum);
      }

      assertThat(forged).isEqualTo(Map.of(401, 100, 429, 50));
      assertThat(spelled).isEqualTo(Map.of(200, 100, 429, 50));
      assertThat(call(client, app, "Bearer writer-token")).isEqualTo(200); // a bucket of its own
    } finally {
      app.stop();
    }
  }

  private static int call(HttpClient client, Javalin app, String authorization) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/read"))
        .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
