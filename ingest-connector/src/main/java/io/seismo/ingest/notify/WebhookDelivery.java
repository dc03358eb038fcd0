package io.seismo.ingest.notify;

import io.seismo.ingest.net.AddressGuard;
import io.seismo.ingest.net.Failures;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers one webhook: POST of a JSON body with Standard Webhooks headers, retried with exponential
 * backoff and jitter on network errors, 429 and 5xx; any other 4xx is final. Connections go through
 * the same address guard as polling (the client's DNS) and never follow redirects.
 */
final class WebhookDelivery {

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient client;
  private final AddressGuard guard;
  private final WebhookSigner signer;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Clock clock;

  WebhookDelivery(OkHttpClient client, AddressGuard guard, WebhookSigner signer, int maxAttempts, Duration firstBackoff,
                  Clock clock) {
    this.client = client;
    this.guard = guard;
    this.signer = signer;
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.clock = clock;
  }

  /** The outcome of a delivery: delivered or not, after how many attempts, and the last problem. */
  record Outcome(boolean delivered, int attempts, String lastError) {}

  Outcome deliver(String url, String webhookId, String body) throws InterruptedException {
    String lastError = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
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
          if (response.isSuccessful()) {
            return new Outcome(true, attempt, null);
          }
          lastError = "HTTP " + response.code();
          if (response.code() < 500 && response.code() != 429) {
            return new Outcome(false, attempt, lastError); // the receiver refused it: retrying will not help
          }
        }
      } catch (IOException e) {
        lastError = Failures.describe(e);
        if (e instanceof io.seismo.ingest.net.BlockedAddressException) {
          return new Outcome(false, attempt, lastError);
        }
      } catch (IllegalArgumentException e) {
        return new Outcome(false, attempt, "bad webhook URL: " + e.getMessage());
      }
      if (attempt < maxAttempts) {
        long backoff = firstBackoff.toMillis() << (attempt - 1);
        TimeUnit.MILLISECONDS.sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1));
      }
    }
    return new Outcome(false, maxAttempts, lastError);
  }
}
