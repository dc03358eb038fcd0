package io.seismo.ingest.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier's consumer loop with Kafka's own {@link MockConsumer} and real receivers (JDK HTTP
 * servers) behind the real {@link WebhookDelivery}.
 */
class WebhookNotifierTest {

  private static final TopicPartition PARTITION = new TopicPartition(Topics.ALERTS.name(), 0);

  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
  private final AddressGuard allowLocal = AddressGuard.allowing(List.of("localhost", "127.0.0.0/8", "::1/128"));
  private final WebhookDelivery delivery = new WebhookDelivery(new OkHttpClient.Builder().followRedirects(false)
      .callTimeout(Duration.ofSeconds(10)).build(), allowLocal, null,
      new WebhookDelivery.Policy(1, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10)), Clock.systemUTC());
  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final Map<String, String> published = new ConcurrentHashMap<>();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private WebhookNotifier notifier;
  private long offset;

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    servers.forEach(server -> server.stop(0));
  }

  private record Receiver(String url, List<String> ids) {}

  private Receiver receiver(int status, long delayMs) throws Exception {
    List<String> ids = new CopyOnWriteArrayList<>();
    HttpServer server = WebhookDeliveryTest.jdkReceiver(exchange -> {
      ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(status, -1);
    });
    servers.add(server);
    return new Receiver(WebhookDeliveryTest.url(server), ids);
  }

  private final AtomicBoolean loaded = new AtomicBoolean(true);

  private void start(WebhookDispatcher.Sender sender) {
    notifier = new WebhookNotifier(new NotifierParts(consumer,
        apiId -> {
          if (apiId.equals("bug")) {
            throw new IllegalStateException("a bug while looking up a registration");
          }
          return Optional.ofNullable(registrations.get(apiId));
        },
        loaded::get, apiId -> Optional.empty(), published::put, sender, 100, 1_000, null, null, null)).start();
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(PARTITION));
      consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
      consumer.seek(PARTITION, 0);
    });
  }

  private void register(String apiId, String... webhooks) {
    registrations.put(apiId, Registration.newBuilder().setApiId(apiId).setUrl("https://example.org/")
        .setDesiredState(DesiredState.RUNNING).setNotifyWebhooks(List.of(webhooks)).build());
  }

  private String alert(String apiId) {
    long at = offset++;
    byte[] value = Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(),
        new Alert(apiId, AlertKind.FAILING, Instant.now(), "3 consecutive failures", null, null));
    consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(Topics.ALERTS.name(), 0, at, apiId, value)));
    return "seismo-" + Topics.ALERTS.name() + "-0-" + at;
  }

  private Long committed() {
    OffsetAndMetadata committed = consumer.committed(Set.of(PARTITION)).get(PARTITION);
    return committed == null ? null : committed.offset();
  }

  @Test
  void shouldKeepPollingAndCommitOnlyWhatEndedWhenAReceiverIsDead() throws Exception {
    Receiver dead = receiver(500, 2_000);
    Receiver healthy = receiver(204, 0);
    register("api", dead.url(), healthy.url());
    start(delivery::deliver);

    String first = alert("api");
    String second = alert("api");
    awaitUntil(() -> healthy.ids().size() == 2, Duration.ofSeconds(3));

    assertThat(healthy.ids()).containsExactly(first, second);
    assertThat(committed() == null ? 0L : committed()).isEqualTo(0L); // the dead receiver still holds the first alert
    awaitUntil(() -> Long.valueOf(2).equals(committed()), Duration.ofSeconds(10));
    assertThat(committed()).isEqualTo(2L);
    assertThat(dead.ids()).containsExactly(first, second);
  }

  @Test
  void shouldGoOnWhenPollLookupOrDeliveryThrows() throws Exception {
    Receiver healthy = receiver(204, 0);
    register("api", healthy.url());
    AtomicInteger calls = new AtomicInteger();
    start((url, id, body) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("a bug in a delivery");
      }
      return delivery.deliver(url, id, body);
    });

    alert("api"); // its delivery throws
    consumer.schedulePollTask(() -> consumer.setPollException(new KafkaException("poll failed")));
    alert("bug"); // looking up its registration throws
    String last = alert("api");
    awaitUntil(() -> healthy.ids().contains(last), Duration.ofSeconds(5));

    assertThat(healthy.ids()).containsExactly(last);
    awaitUntil(() -> Long.valueOf(3).equals(committed()), Duration.ofSeconds(5));
    assertThat(committed()).isEqualTo(3L);
  }

  @Test
  void shouldDeliverAnAlertReadBeforeTheRegistrationsWereLoadedWhenTheyAre() throws Exception {
    Receiver healthy = receiver(204, 0);
    loaded.set(false); // a restart: the alerts topic has an alert, the registration table is still reading
    start(delivery::deliver);
    String id = alert("api");
    Thread.sleep(1_500); // the notifier's loop goes round while the table loads

    register("api", healthy.url());
    loaded.set(true);
    awaitUntil(() -> healthy.ids().contains(id), Duration.ofSeconds(5));

    assertThat(healthy.ids()).containsExactly(id);
    awaitUntil(() -> Long.valueOf(1).equals(committed()), Duration.ofSeconds(5));
    assertThat(committed()).isEqualTo(1L);
  }

  private static void awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
