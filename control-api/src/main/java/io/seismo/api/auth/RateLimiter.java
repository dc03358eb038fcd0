package io.seismo.api.auth;

import io.javalin.http.Context;
import io.seismo.api.error.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (per bearer token, or per client address without one): {@code ratePerSecond}
 * requests per second on average, bursts up to {@code burst}. Over the limit: 429 with Retry-After.
 * Callers are keyed by a digest, so tokens are not kept in memory in clear; idle buckets are dropped.
 */
public final class RateLimiter {

  private static final int MAX_CALLERS = 10_000;

  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** Throws a 429 problem when the caller of {@code ctx} is over its rate. */
  public void check(Context ctx) {
    String authorization = ctx.header("Authorization");
    String caller = authorization != null ? "t:" + digest(authorization) : "ip:" + ctx.ip();
    Optional<Duration> wait = tryAcquire(caller);
    if (wait.isPresent()) {
      throw new ProblemException(429, "rate-limited", "Too many requests",
          "rate limit exceeded; retry after " + Math.max(1, wait.get().toSeconds()) + " s", List.of(), wait);
    }
  }

  /** Empty when a request is allowed now, else how long until one is. */
  Optional<Duration> tryAcquire(String caller) {
    if (buckets.size() > MAX_CALLERS) {
      long now = nanoTime.getAsLong();
      buckets.values().removeIf(bucket -> bucket.isFullAt(now));
    }
    return buckets.computeIfAbsent(caller, key -> new Bucket(burst, nanoTime.getAsLong())).take(nanoTime.getAsLong());
  }

  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized Optional<Duration> take(long now) {
      tokens = Math.min(burst, tokens + (now - updated) * ratePerNano);
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        return Optional.empty();
      }
      return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / ratePerNano)));
    }

    synchronized boolean isFullAt(long now) {
      return tokens + (now - updated) * ratePerNano >= burst;
    }
  }

  private static String digest(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
