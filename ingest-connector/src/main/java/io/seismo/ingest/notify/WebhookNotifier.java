package io.seismo.ingest.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.ingest.net.AddressGuard;
import io.seismo.schemas.Alert;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.RegistrationTable;
import io.seismo.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts ({@code seismo.alerts}) to the webhooks of each API's registration, signed Standard
 * Webhooks style. At least once: offsets are committed after every delivery of a batch has finished
 * (delivered, refused or out of retries); the {@code webhook-id} is stable (topic-partition-offset) so
 * receivers can drop duplicates. Deliveries run on virtual threads, a bounded number at a time, in
 * their own consumer group: a slow or dead receiver delays only other alerts, never polling.
 */
public final class WebhookNotifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaConsumer<String, byte[]> consumer;
  private final RegistrationTable registrations;
  private final WebhookDelivery delivery;
  private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("seismo-webhook-", 0).factory());
  private final Semaphore inFlight;
  private final Thread thread;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running = true;

  public WebhookNotifier(String bootstrapServers, Properties overrides, OkHttpClient guardedClient, AddressGuard guard,
                         Optional<String> secret, int maxAttempts, Duration firstBackoff, int maxInFlight) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "seismo-notifier");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "seismo-notifier");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    props.putAll(overrides);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.registrations = new RegistrationTable(bootstrapServers, overrides, "seismo-notifier-registrations");
    OkHttpClient client = guardedClient.newBuilder().followRedirects(false).followSslRedirects(false)
        .callTimeout(Duration.ofSeconds(10)).build();
    this.delivery = new WebhookDelivery(client, guard, secret.map(WebhookSigner::new).orElse(null), maxAttempts,
        firstBackoff, Clock.systemUTC());
    this.inFlight = new Semaphore(maxInFlight);
    this.thread = Thread.ofPlatform().name("seismo-notifier").unstarted(this::run);
    if (secret.isEmpty()) {
      log.warn("webhooks are sent unsigned: set SEISMO_NOTIFY_SECRET to sign them");
    }
  }

  public WebhookNotifier start() {
    registrations.start();
    thread.start();
    return this;
  }

  public long delivered() {
    return delivered.get();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(Topics.ALERTS.name()));
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        List<Future<?>> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
          batch.addAll(dispatch(record));
        }
        for (Future<?> future : batch) {
          future.get();
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("notifier stopped error={}", e.toString(), e);
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private List<Future<?>> dispatch(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    Alert alert;
    try {
      alert = Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      log.warn("undecodable alert skipped partition={} offset={} error={}", record.partition(), record.offset(), e.getMessage());
      return List.of();
    }
    if (alert == null) {
      return List.of();
    }
    Optional<Registration> registration = registrations.get(alert.getApiId());
    List<String> targets = registration.map(Registration::getNotifyWebhooks).orElse(List.of());
    if (targets.isEmpty()) {
      return List.of();
    }
    String webhookId = "seismo-" + record.topic() + "-" + record.partition() + "-" + record.offset();
    String body = body(webhookId, alert);
    List<Future<?>> futures = new ArrayList<>();
    for (String url : targets) {
      inFlight.acquire();
      futures.add(workers.submit(() -> {
        try {
          WebhookDelivery.Outcome outcome = delivery.deliver(url, webhookId, body);
          if (outcome.delivered()) {
            delivered.incrementAndGet();
          } else {
            failed.incrementAndGet();
            log.warn("webhook not delivered apiId={} host={} attempts={} error={}", alert.getApiId(), host(url),
                outcome.attempts(), outcome.lastError());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inFlight.release();
        }
        return null;
      }));
    }
    return futures;
  }

  static String body(String webhookId, Alert alert) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "seismo.alert." + alert.getKind().name().toLowerCase(java.util.Locale.ROOT));
    body.put("id", webhookId);
    body.put("apiId", alert.getApiId());
    body.put("kind", alert.getKind().name());
    body.put("at", alert.getAt().toString());
    body.put("detail", alert.getDetail());
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The host only: webhook URLs may carry tokens in their paths or queries. */
  private static String host(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    return parsed == null ? "(invalid URL)" : parsed.host();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    registrations.close();
    log.info("notifier stopped delivered={} failed={}", delivered.get(), failed.get());
  }
}
