package io.seismo.ingest.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.ingest.notify.channel.Channels;
import io.seismo.runtime.config.KafkaClients;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.topic.DeliveryTable;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Alert;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts ({@code seismo.alerts}) to the webhooks of each API's registration, signed Standard
 * Webhooks style, in its own consumer group. The consumer loop only hands deliveries to the
 * {@link WebhookDispatcher} (per receiver queues, never blocking), so it keeps polling whatever the
 * receivers do and never exceeds {@code max.poll.interval.ms}; with too many deliveries outstanding it
 * pauses its partitions (still polling) until they drain. At least once: an alert's offset is
 * committed once every delivery of it, and of every alert before it, has ended (delivered, refused,
 * gone, dropped, or out of retries or time); the {@code webhook-id} is stable (topic-partition-offset)
 * so receivers can drop duplicates. Each delivery's result goes to {@code seismo.deliveries}
 * ({@code GET /apis/{id}/deliveries}). Alerts are read only once the registrations are loaded (an alert
 * read before would find no webhooks and be committed undelivered). Any exception in the loop is logged
 * and the loop goes on.
 */
public final class WebhookNotifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How deliveries are made and bounded. */
  public record Settings(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration deadline,
                         int queuePerReceiver, int maxPendingAlerts) {}

  private final Consumer<String, byte[]> consumer;
  private final Parts parts;
  private final WebhookDispatcher dispatcher;
  private final DeliveryLog deliveries;
  private final int maxPendingAlerts;
  private final Thread thread;
  private final Map<TopicPartition, Pending> pending = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private volatile boolean running = true;

  /**
   * What the notifier works with: the alerts consumer, where registrations and stored delivery records
   * come from, where delivery records go, and what sends a webhook. The Kafka-backed parts
   * ({@code registrationTable}, {@code storedTable}, {@code producer}) are started and closed with the
   * notifier when present.
   */
  record Parts(Consumer<String, byte[]> consumer, Function<String, Optional<Registration>> registrations,
               BooleanSupplier registrationsLoaded, Function<String, Optional<String>> stored, BiConsumer<String, String> publish,
               WebhookDispatcher.Sender sender, int queuePerReceiver, int maxPendingAlerts,
               RegistrationTable registrationTable, DeliveryTable storedTable, KafkaProducer<String, String> producer) {}

  public WebhookNotifier(String bootstrapServers, Properties overrides, OkHttpClient guardedClient, AddressGuard guard,
                         Optional<String> secret, Settings settings) {
    this(bootstrapServers, overrides, guardedClient, guard, secret, settings,
        Channels.none());
  }

  /** With the deployment's named channels, which registrations reference in {@code notifyChannels}. */
  public WebhookNotifier(String bootstrapServers, Properties overrides, OkHttpClient guardedClient, AddressGuard guard,
                         Optional<String> secret, Settings settings, Channels channels) {
    this(kafkaParts(bootstrapServers, overrides, guardedClient, guard, secret, settings, channels));
    if (secret.isEmpty()) {
      log.warn("webhooks are sent unsigned: set SEISMO_NOTIFY_SECRET to sign them");
    }
  }

  WebhookNotifier(Parts parts) {
    this.parts = parts;
    this.consumer = parts.consumer();
    this.deliveries = new DeliveryLog(parts.stored(), parts.publish(), Clock.systemUTC());
    this.dispatcher = new WebhookDispatcher(parts.sender(), deliveries, parts.queuePerReceiver());
    this.maxPendingAlerts = parts.maxPendingAlerts();
    this.thread = Thread.ofPlatform().name("seismo-notifier").unstarted(this::run);
  }

  private static Parts kafkaParts(String bootstrapServers, Properties overrides, OkHttpClient guardedClient,
                                  AddressGuard guard, Optional<String> secret, Settings settings,
                                  Channels channels) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "seismo-notifier");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "seismo-notifier");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    props.putAll(overrides);
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    KafkaProducer<String, String> producer = new KafkaProducer<>(KafkaClients.reliableProducer(bootstrapServers,
        "seismo-notifier-deliveries", overrides), new StringSerializer(), new StringSerializer());
    RegistrationTable registrations = new RegistrationTable(bootstrapServers, overrides, "seismo-notifier-registrations");
    DeliveryTable stored = new DeliveryTable(bootstrapServers, overrides, "seismo-notifier-deliveries-table");
    OkHttpClient client = guardedClient.newBuilder().followRedirects(false).followSslRedirects(false)
        .callTimeout(Duration.ofSeconds(10)).build();
    WebhookDelivery delivery = new WebhookDelivery(client, guard, secret.map(WebhookSigner::new).orElse(null),
        new WebhookDelivery.Policy(settings.maxAttempts(), settings.firstBackoff(), settings.maxBackoff(),
            settings.deadline()), Clock.systemUTC());
    return new Parts(consumer, registrations::get, registrations::loaded, stored::get, (apiId, document) -> publish(producer, apiId, document),
        ChannelSender.of(delivery, channels)::send, settings.queuePerReceiver(), settings.maxPendingAlerts(), registrations, stored, producer);
  }

  public WebhookNotifier start() {
    if (parts.registrationTable() != null) {
      parts.registrationTable().start();
    }
    if (parts.storedTable() != null) {
      parts.storedTable().start();
    }
    thread.start();
    return this;
  }

  public long delivered() {
    return dispatcher.delivered();
  }

  private void run() {
    try {
      if (parts.storedTable() != null && !parts.storedTable().awaitLoaded(Duration.ofSeconds(30))) {
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
          consumer.subscribe(List.of(Topics.ALERTS.name()), new Rebalance());
          subscribed = true;
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> record : records) {
          dispatch(record);
        }
        commitEnded(consumer.assignment());
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
      commitEnded(consumer.assignment());
    } catch (RuntimeException e) {
      log.warn("last commit of the notifier failed error={}", e.toString());
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  /** Hands each webhook of the alert to the dispatcher; the record counts as pending until all ended. */
  private void dispatch(ConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    Pending tracker = pending.computeIfAbsent(partition, p -> new Pending());
    tracker.next = record.offset() + 1;
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
      String body = body(webhookId, alert);
      AtomicInteger remaining = new AtomicInteger(targets.size());
      tracker.offsets.put(record.offset(), remaining);
      Runnable done = () -> {
        if (remaining.decrementAndGet() == 0) {
          tracker.offsets.remove(record.offset());
        }
      };
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
      tracker.offsets.remove(record.offset());
    }
  }

  /** Commits, per partition, the offset before which every alert's deliveries have ended. */
  private void commitEnded(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (TopicPartition partition : partitions) {
      Pending tracker = pending.get(partition);
      long offset = tracker == null ? -1 : tracker.committable();
      if (offset >= 0 && offset > committed.getOrDefault(partition, -1L)) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    }
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets, Duration.ofSeconds(5));
      offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }
  }

  /** Pauses fetching while too many alerts wait for their deliveries; the loop keeps polling. */
  private void flowControl() {
    int outstanding = pending.values().stream().mapToInt(p -> p.offsets.size()).sum();
    if (outstanding >= maxPendingAlerts && consumer.paused().isEmpty()) {
      log.warn("notifier paused: {} alerts wait for their deliveries", outstanding);
      consumer.pause(consumer.assignment());
    } else if (outstanding < maxPendingAlerts / 2 && !consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
      log.info("notifier resumed");
    }
  }

  private static void publish(KafkaProducer<String, String> producer, String apiId, String document) {
    try {
      producer.send(new ProducerRecord<>(Topics.DELIVERIES.name(), apiId, document), (metadata, error) -> {
        if (error != null) {
          log.warn("delivery record not written apiId={} error={}", apiId, error.toString());
        }
      });
    } catch (RuntimeException e) {
      log.warn("delivery record not written apiId={} error={}", apiId, e.toString());
    }
  }

  static String body(String webhookId, Alert alert) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "seismo.alert." + alert.getKind().name().toLowerCase(Locale.ROOT));
    body.put("id", webhookId);
    body.put("apiId", alert.getApiId());
    body.put("kind", alert.getKind().name());
    body.put("at", alert.getAt().toString());
    body.put("detail", alert.getDetail());
    if (alert.getRuleId() != null) { // THRESHOLD alerts and the RECOVERED of their incidents
      body.put("ruleId", alert.getRuleId());
      body.put("incidentId", alert.getIncidentId());
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
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
    if (parts.producer() != null) {
      parts.producer().close(Duration.ofSeconds(5));
    }
    if (parts.storedTable() != null) {
      parts.storedTable().close();
    }
    if (parts.registrationTable() != null) {
      parts.registrationTable().close();
    }
    log.info("notifier closed delivered={} failed={}", dispatcher.delivered(), dispatcher.failed());
  }

  /** The alerts of one partition whose deliveries have not all ended, and the offset after the last one seen. */
  private static final class Pending {
    final ConcurrentSkipListMap<Long, AtomicInteger> offsets = new ConcurrentSkipListMap<>();
    volatile long next = -1;

    long committable() {
      Map.Entry<Long, AtomicInteger> first = offsets.firstEntry();
      return first != null ? first.getKey() : next;
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commitEnded(partitions);
      } catch (RuntimeException e) {
        log.warn("commit at rebalance failed error={}", e.toString());
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      deliveries.forgetAll(); // another instance may have recorded deliveries of these APIs meanwhile
    }

    private void forget(Collection<TopicPartition> partitions) {
      partitions.forEach(partition -> {
        pending.remove(partition);
        committed.remove(partition);
      });
    }
  }
}
