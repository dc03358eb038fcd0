package io.seismo.ingest.notify;

import io.seismo.ingest.notify.channel.Channels;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.schemas.Alert;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts ({@code seismo.alerts}) to the webhooks and channels of each API's registration, at
 * least once, in its own consumer group; see docs/architecture.md ("Notifications").
 */
public final class WebhookNotifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

  /** How deliveries are made and bounded. */
  public record Settings(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration deadline,
                         int queuePerReceiver, int maxPendingAlerts) {}

  private final Consumer<String, byte[]> consumer;
  private final NotifierParts parts;
  private final WebhookDispatcher dispatcher;
  private final DeliveryLog deliveries;
  private final int maxPendingAlerts;
  private final Thread thread;
  private final AlertOffsets offsets = new AlertOffsets();
  private volatile boolean running = true;

  public WebhookNotifier(String bootstrapServers, Properties overrides, OkHttpClient guardedClient, AddressGuard guard,
                         Optional<String> secret, Settings settings) {
    this(bootstrapServers, overrides, guardedClient, guard, secret, settings,
        Channels.none());
  }

  /** With the deployment's named channels, which registrations reference in {@code notifyChannels}. */
  public WebhookNotifier(String bootstrapServers, Properties overrides, OkHttpClient guardedClient, AddressGuard guard,
                         Optional<String> secret, Settings settings, Channels channels) {
    this(NotifierParts.kafka(bootstrapServers, overrides, guardedClient, guard, secret, settings, channels));
    if (secret.isEmpty()) {
      log.warn("webhooks are sent unsigned: set SEISMO_NOTIFY_SECRET to sign them");
    }
  }

  WebhookNotifier(NotifierParts parts) {
    this.parts = parts;
    this.consumer = parts.consumer();
    this.deliveries = new DeliveryLog(parts.stored(), parts.publish(), Clock.systemUTC());
    this.dispatcher = new WebhookDispatcher(parts.sender(), deliveries, parts.queuePerReceiver());
    this.maxPendingAlerts = parts.maxPendingAlerts();
    this.thread = Thread.ofPlatform().name("seismo-notifier").unstarted(this::run);
  }

  public WebhookNotifier start() {
    parts.startTables();
    thread.start();
    return this;
  }

  public long delivered() {
    return dispatcher.delivered();
  }

  private void run() {
    try {
      if (!parts.awaitStored(Duration.ofSeconds(30))) {
        log.warn("delivery records not loaded within 30 s: endpoints gone (410) before may be tried once more");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    boolean subscribed = false;
    long waitingSince = System.nanoTime();
    boolean warned = false;
    while (running) {
      try {
        if (!subscribed && !parts.registrationsLoaded().getAsBoolean()) {
          // an alert read now would find no registration, be skipped and committed: its webhooks lost
          if (!warned && System.nanoTime() - waitingSince > TimeUnit.SECONDS.toNanos(30)) {
            log.warn("notifier waits for the registrations to load before it reads alerts");
            warned = true;
          }
          TimeUnit.MILLISECONDS.sleep(100);
          continue;
        }
        if (!subscribed) {
          // another instance may have recorded deliveries of these APIs meanwhile
          consumer.subscribe(List.of(Topics.ALERTS.name()), offsets.rebalance(consumer, deliveries::forgetAll));
          subscribed = true;
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> record : records) {
          dispatch(record);
        }
        offsets.commitEnded(consumer, consumer.assignment());
        flowControl();
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
      } catch (WakeupException | InterruptException e) {
        if (!running) {
          break;
        }
        Thread.interrupted();
        log.warn("notifier woken up while running; going on");
      } catch (RuntimeException | Error e) {
        if (!running) {
          break;
        }
        log.error("notifier error, going on in 1 s error={}", e.toString(), e);
        try {
          TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException interrupted) {
          if (!running) {
            break;
          }
        }
      }
    }
    try {
      offsets.commitEnded(consumer, consumer.assignment());
    } catch (RuntimeException e) {
      log.warn("last commit of the notifier failed error={}", e.toString());
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  /** Hands each webhook of the alert to the dispatcher; the record counts as pending until all ended. */
  private void dispatch(ConsumerRecord<String, byte[]> record) {
    AlertOffsets.Partition tracker = offsets.seen(new TopicPartition(record.topic(), record.partition()),
        record.offset());
    try {
      Alert alert = Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      if (alert == null) {
        return;
      }
      Optional<Registration> registration = parts.registrations().apply(alert.getApiId());
      List<String> targets = registration.map(ChannelSender::targets).orElse(List.of());
      if (targets.isEmpty()) {
        return;
      }
      String webhookId = "seismo-" + record.topic() + "-" + record.partition() + "-" + record.offset();
      String body = WebhookBody.of(webhookId, alert);
      Runnable done = tracker.await(record.offset(), targets.size());
      long version = registration.get().getVersion();
      for (int i = 0; i < targets.size(); i++) {
        DeliveryLog.Entry entry = new DeliveryLog.Entry(alert.getApiId(), version, i, targets.get(i), webhookId,
            alert.getKind().name());
        dispatcher.submit(new WebhookDispatcher.Job(entry, body, done));
      }
    } catch (SerializationException e) {
      log.warn("undecodable alert skipped partition={} offset={} error={}", record.partition(), record.offset(),
          e.getMessage());
    } catch (RuntimeException e) {
      log.error("alert skipped after an unexpected error partition={} offset={} error={}", record.partition(),
          record.offset(), e.toString(), e);
      tracker.drop(record.offset());
    }
  }

  /** Pauses fetching while too many alerts wait for their deliveries; the loop keeps polling. */
  private void flowControl() {
    int outstanding = offsets.outstanding();
    if (outstanding >= maxPendingAlerts && consumer.paused().isEmpty()) {
      log.warn("notifier paused: {} alerts wait for their deliveries", outstanding);
      consumer.pause(consumer.assignment());
    } else if (outstanding < maxPendingAlerts / 2 && !consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
      log.info("notifier resumed");
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatcher.close();
    parts.closeClients();
    log.info("notifier closed delivered={} failed={}", dispatcher.delivered(), dispatcher.failed());
  }
}
