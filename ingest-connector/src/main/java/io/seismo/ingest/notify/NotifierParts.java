package io.seismo.ingest.notify;

import io.seismo.ingest.notify.channel.Channels;
import io.seismo.runtime.config.KafkaClients;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.topic.DeliveryTable;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the notifier works with: the alerts consumer, where registrations and stored delivery records
 * come from, where delivery records go, and what sends a webhook. The Kafka-backed parts
 * ({@code registrationTable}, {@code storedTable}, {@code producer}) are started and closed with the
 * notifier when present.
 */
record NotifierParts(Consumer<String, byte[]> consumer, Function<String, Optional<Registration>> registrations,
                     BooleanSupplier registrationsLoaded, Function<String, Optional<String>> stored,
                     BiConsumer<String, String> publish, WebhookDispatcher.Sender sender, int queuePerReceiver,
                     int maxPendingAlerts, RegistrationTable registrationTable, DeliveryTable storedTable,
                     KafkaProducer<String, String> producer) {

  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

  /** The parts of a deployed notifier: Kafka clients of the cluster, webhooks sent by the guarded client. */
  static NotifierParts kafka(String bootstrapServers, Properties overrides, OkHttpClient guardedClient,
                             AddressGuard guard, Optional<String> secret, WebhookNotifier.Settings settings,
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
    return new NotifierParts(consumer, registrations::get, registrations::loaded, stored::get,
        (apiId, document) -> publish(producer, apiId, document), ChannelSender.of(delivery, channels)::send,
        settings.queuePerReceiver(), settings.maxPendingAlerts(), registrations, stored, producer);
  }

  void startTables() {
    if (registrationTable != null) {
      registrationTable.start();
    }
    if (storedTable != null) {
      storedTable.start();
    }
  }

  /** Whether the stored delivery records were loaded in time (true when there is no such table). */
  boolean awaitStored(Duration timeout) throws InterruptedException {
    return storedTable == null || storedTable.awaitLoaded(timeout);
  }

  void closeClients() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (storedTable != null) {
      storedTable.close();
    }
    if (registrationTable != null) {
      registrationTable.close();
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
}
