package io.seismo.ingest.notify;

import io.seismo.ingest.net.Failures;
import io.seismo.ingest.net.RetryAfter;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.BlockedAddressException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers one webhook: POST of a JSON body with Standard Webhooks headers, retried on network errors,
 * 429 and 5xx with exponential backoff and jitter capped at {@link Policy#maxBackoff}; a 429 / 503
 * {@code Retry-After} is waited for, up to that cap. 410 Gone means the endpoint is gone for good; any
 * other 4xx is final. A delivery never takes longer than {@link Policy#deadline} plus one request: no
 * retry is started that would end past it. Connections go through the same address guard as polling
 * (the client's DNS) and never follow redirects.
 */
final class WebhookDelivery {

  private static final MediaType JSON = MediaType.get("application/json");

  /** Retries: attempts, first wait (doubled per attempt), longest wait, and the bound on the whole delivery. */
  record Policy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration deadline) {
    Policy {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
    }
  }

  enum Result {
    /** A 2xx answer. */
    DELIVERED,
    /** A final 4xx (other than 410): the receiver refused it, retrying would not help. */
    REFUSED,
    /** 410 Gone: the endpoint is not to be used again (for this registration). */
    GONE,
    /** Out of attempts or time, or the address is not allowed. */
    FAILED,
    /** Never attempted: the receiver's queue was full, or the notifier failed unexpectedly. */
    DROPPED,
    /** Not sent: the endpoint answered 410 Gone before (and the registration has not changed since). */
    SKIPPED
  }

  /** The outcome of a delivery: how it ended, after how many attempts, the last HTTP status (0: none) and problem. */
  record Outcome(Result result, int attempts, int httpStatus, String lastError) {
    boolean delivered() {
      return result == Result.DELIVERED;
    }
  }

  private final OkHttpClient client;
  private final AddressGuard guard;
  private final WebhookSigner signer;
  private final Policy policy;
  private final Clock clock;

  WebhookDelivery(OkHttpClient client, AddressGuard guard, WebhookSigner signer, Policy policy, Clock clock) {
    this.client = client;
    this.guard = guard;
    this.signer = signer;
    this.policy = policy;
    this.clock = clock;
  }

  Policy policy() {
    return policy;
  }

  Outcome deliver(String url, String webhookId, String body) throws InterruptedException {
    long deadline = System.nanoTime() + policy.deadline().toNanos();
    String lastError = null;
    int lastStatus = 0;
    int attempt = 0;
    while (true) {
      attempt++;
      Optional<Duration> retryAfter = Optional.empty();
      long timestamp = clock.instant().getEpochSecond();
      Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON))
          .header("webhook-id", webhookId)
          .header("webhook-timestamp", Long.toString(timestamp))
          .header("User-Agent", "Seismo-Webhooks/0.1");
      if (signer != null) {
        request.header("webhook-signature", signer.sign(webhookId, timestamp, body));
      }
      try {
        guard.checkLiteral(HttpUrl.get(url).host());
        try (Response response = client.newCall(request.build()).execute()) {
          lastStatus = response.code();
          if (response.isSuccessful()) {
            return new Outcome(Result.DELIVERED, attempt, lastStatus, null);
          }
          lastError = "HTTP " + response.code();
          if (response.code() == 410) {
            return new Outcome(Result.GONE, attempt, lastStatus, lastError);
          }
          if (response.code() < 500 && response.code() != 429) {
            return new Outcome(Result.REFUSED, attempt, lastStatus, lastError);
          }
          retryAfter = RetryAfter.of(response);
        }
      } catch (IOException e) {
        lastStatus = 0;
        lastError = Failures.describe(e);
        if (e instanceof BlockedAddressException) {
          return new Outcome(Result.FAILED, attempt, 0, lastError);
        }
      } catch (IllegalArgumentException e) {
        return new Outcome(Result.FAILED, attempt, 0, "bad webhook URL");
      }
      if (attempt >= policy.maxAttempts()) {
        return new Outcome(Result.FAILED, attempt, lastStatus, lastError);
      }
      long waitMs = waitBefore(attempt + 1, retryAfter);
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs) > deadline) {
        return new Outcome(Result.FAILED, attempt, lastStatus, lastError + " (gave up: delivery deadline "
            + policy.deadline() + ")");
      }
      TimeUnit.MILLISECONDS.sleep(waitMs);
    }
  }

  /** Exponential backoff with jitter, at least the receiver's Retry-After, never more than the cap. */
  long waitBefore(int nextAttempt, Optional<Duration> retryAfter) {
    long cap = policy.maxBackoff().toMillis();
    int exponent = Math.min(nextAttempt - 2, 30);
    long backoff = Math.min(cap, policy.firstBackoff().toMillis() << exponent);
    backoff = Math.min(cap, backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1));
    // compared as a Duration first: a Retry-After of more than ~292 million years overflows toMillis()
    long asked = retryAfter.map(wait -> wait.compareTo(policy.maxBackoff()) > 0 ? cap : wait.toMillis()).orElse(0L);
    return Math.max(backoff, asked);
  }

}
