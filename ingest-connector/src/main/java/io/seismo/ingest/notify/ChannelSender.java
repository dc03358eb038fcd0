package io.seismo.ingest.notify;

import io.seismo.ingest.notify.channel.AlertMessage;
import io.seismo.ingest.notify.channel.Channels;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.schemas.Registration;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Sends one delivery, to a registration's own webhook (signed, through the address guard) or to a named channel
 * of the deployment ({@code channel:<name>}); see docs/notifications.md ("Delivery").
 */
final class ChannelSender {

  static final String PREFIX = "channel:";

  private final WebhookDelivery webhooks;
  private final WebhookDelivery channelHttp;
  private final Channels channels;

  ChannelSender(WebhookDelivery webhooks, WebhookDelivery channelHttp, Channels channels) {
    this.webhooks = webhooks;
    this.channelHttp = channelHttp;
    this.channels = channels;
  }

  /** Channels get their own client: no address guard, no redirects, 10 s per request; the webhooks' retry policy. */
  static ChannelSender of(WebhookDelivery webhooks, Channels channels) {
    OkHttpClient unguarded = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false)
        .callTimeout(Duration.ofSeconds(10)).build();
    WebhookDelivery channelHttp = new WebhookDelivery(unguarded, AddressGuard.allowing(List.of("0.0.0.0/0", "::/0")), null,
        webhooks.policy(), Clock.systemUTC());
    return new ChannelSender(webhooks, channelHttp, channels);
  }

  /** Where one alert of the registration goes: its webhooks, then its channels (as {@code channel:<name>}). */
  static List<String> targets(Registration registration) {
    List<String> targets = new ArrayList<>(registration.getNotifyWebhooks());
    for (String name : registration.getNotifyChannels()) {
      targets.add(PREFIX + name);
    }
    return targets;
  }

  WebhookDelivery.Outcome send(String url, String webhookId, String body) throws InterruptedException {
    if (!url.startsWith(PREFIX)) {
      return webhooks.deliver(url, webhookId, body);
    }
    String name = url.substring(PREFIX.length());
    Channels.Channel channel = channels.get(name).orElse(null);
    if (channel == null) {
      return new WebhookDelivery.Outcome(WebhookDelivery.Result.FAILED, 0, 0,
          "no channel named '" + name + "' is configured (SEISMO_NOTIFY_CHANNELS_FILE)");
    }
    AlertMessage alert = AlertMessage.fromWebhookBody(body);
    if (!channel.isEmail()) {
      return channelHttp.deliver(channel.url(), webhookId, channel.format().render(alert));
    }
    WebhookDelivery.Policy policy = webhooks.policy();
    long deadline = System.nanoTime() + policy.deadline().toNanos();
    String lastError = null;
    for (int attempt = 1; ; attempt++) {
      try {
        channel.email().send(alert);
        return new WebhookDelivery.Outcome(WebhookDelivery.Result.DELIVERED, attempt, 0, null);
      } catch (MessagingException e) {
        lastError = "SMTP: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
      }
      if (attempt >= policy.maxAttempts()) {
        return new WebhookDelivery.Outcome(WebhookDelivery.Result.FAILED, attempt, 0, lastError);
      }
      long waitMs = webhooks.waitBefore(attempt + 1, Optional.empty());
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs) > deadline) {
        return new WebhookDelivery.Outcome(WebhookDelivery.Result.FAILED, attempt, 0, lastError + " (gave up: delivery deadline)");
      }
      TimeUnit.MILLISECONDS.sleep(waitMs);
    }
  }

  private static String firstLine(String message) {
    String line = message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
