package io.seismo.api.auth;

import io.javalin.http.Context;
import io.seismo.api.error.ProblemException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (the principal a valid token authenticates as, else the client address):
 * {@code ratePerSecond} requests per second, bursts up to {@code burst}, beyond that 429 with Retry-After.
 */
public final class RateLimiter {

  static final int MAX_CALLERS = 10_000;

  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /**
   * Throws a 429 problem when the caller of {@code ctx} is over its rate.
   *
   * @param principal who a valid token authenticates the request as; empty: keyed by client address
   */
  public void check(Context ctx, Optional<String> principal) {
    String caller = principal.map(name -> "p:" + name).orElseGet(() -> addressKey(ctx.ip()));
    Optional<Duration> wait = tryAcquire(caller);
    if (wait.isPresent()) {
      throw ProblemException.rateLimited("rate limit exceeded; retry after " + Math.max(1, wait.get().toSeconds()) + " s",
          wait.get());
    }
  }

  /**
   * The key of a client address, for limits per caller without a valid token: an IPv4 address, or the
   * /64 of an IPv6 one — a single IPv6 host usually holds a whole /64 and could otherwise take a fresh
   * burst (or stream allowance) from each of its addresses. IPv4-mapped IPv6 counts as its IPv4 address.
   */
  public static String addressKey(String address) {
    String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    if (literal.indexOf(':') < 0) {
      return "ip:" + literal;
    }
    try {
      InetAddress parsed = InetAddress.getByName(literal); // a literal: no DNS lookup
      if (parsed instanceof Inet4Address) {
        return "ip:" + parsed.getHostAddress();
      }
      return "ip6:" + HexFormat.of().formatHex(parsed.getAddress(), 0, 8) + "/64";
    } catch (UnknownHostException | RuntimeException e) {
      return "ip:" + literal;
    }
  }

  /** Empty when a request is allowed now, else how long until one is. */
  Optional<Duration> tryAcquire(String caller) {
    if (buckets.size() > MAX_CALLERS) {
      sweep(nanoTime.getAsLong());
    }
    return buckets.computeIfAbsent(caller, key -> new Bucket(burst, nanoTime.getAsLong())).take(nanoTime.getAsLong());
  }

  /**
   * Drops idle (full) buckets and, if that is not enough — many callers active at once, say one per
   * address of a large block — the least recently used ones, down to 90% of the bound: the memory stays
   * bounded and the scan runs once per tenth of the bound of new callers, not on every request.
   */
  private synchronized void sweep(long now) {
    if (buckets.size() <= MAX_CALLERS) {
      return;
    }
    buckets.values().removeIf(bucket -> bucket.isFullAt(now));
    int keep = MAX_CALLERS * 9 / 10;
    if (buckets.size() > keep) {
      record Used(String caller, Bucket bucket, long updated) {}
      List<Used> used = new ArrayList<>();
      buckets.forEach((caller, bucket) -> used.add(new Used(caller, bucket, bucket.updated())));
      used.sort(Comparator.comparingLong(Used::updated));
      for (int i = 0; i < used.size() - keep; i++) {
        buckets.remove(used.get(i).caller(), used.get(i).bucket());
      }
    }
  }

  /** How many callers have a bucket now. */
  int callers() {
    return buckets.size();
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

    synchronized long updated() {
      return updated;
    }

    synchronized boolean isFullAt(long now) {
      return tokens + (now - updated) * ratePerNano >= burst;
    }
  }
}
