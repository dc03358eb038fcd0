package io.seismo.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
  void shouldKeepCallersApart() {
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire("a");
    }
    assertThat(limiter.tryAcquire("a")).isPresent();
    assertThat(limiter.tryAcquire("b")).isEmpty();
  }
}
