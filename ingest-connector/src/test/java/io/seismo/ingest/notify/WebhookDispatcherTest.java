package io.seismo.ingest.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.seismo.runtime.net.AddressGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deliveries to real receivers (JDK HTTP servers) through the real {@link WebhookDelivery}. */
class WebhookDispatcherTest {

  private final AddressGuard allowLocal = AddressGuard.allowing(List.of("localhost", "127.0.0.0/8", "::1/128"));
  private final WebhookDelivery delivery = new WebhookDelivery(new OkHttpClient.Builder().followRedirects(false)
      .callTimeout(Duration.ofSeconds(10)).build(), allowLocal, null,
      new WebhookDelivery.Policy(5, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(20)), Clock.systemUTC());
  private final Map<String, String> published = new ConcurrentHashMap<>();
  private final DeliveryLog log = new DeliveryLog(apiId -> Optional.empty(), published::put, Clock.systemUTC());
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private WebhookDispatcher dispatcher;

  /** A receiver answering {@code status} after {@code delayMs}, keeping when each request arrived. */
  private record Receiver(String url, List<Long> at) {}

  private Receiver receiver(int status, long delayMs) throws Exception {
    List<Long> at = new CopyOnWriteArrayList<>();
    HttpServer server = WebhookDeliveryTest.jdkReceiver(exchange -> {
      at.add(System.nanoTime());
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(status, -1);
    });
    servers.add(server);
    return new Receiver(WebhookDeliveryTest.url(server), at);
  }

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    servers.forEach(server -> server.stop(0));
  }

  @Test
  void shouldDeliverToAHealthyReceiverWithinASecondWhenAnotherReceiverIsDead() throws Exception {
    dispatcher = new WebhookDispatcher(delivery::deliver, log, 100);
    Receiver dead = receiver(500, 3_000);
    Receiver healthy = receiver(204, 0);

    for (int alert = 0; alert < 3; alert++) {
      long sent = System.nanoTime();
      submit("api", 0, dead.url(), "w" + alert, () -> {});
      submit("api", 1, healthy.url(), "w" + alert, () -> {});
      awaitSize(healthy.at(), alert + 1, Duration.ofSeconds(5));
      long lateMs = (healthy.at().get(alert) - sent) / 1_000_000;
      assertThat(lateMs < 1_000).as("alert %d reached the healthy receiver after %d ms", alert, lateMs).isTrue();
    }
    assertThat(dead.at()).hasSize(1); // still on its first attempt of the first alert
  }

  @Test
  void shouldNotPostAgainToAnEndpointThatAnswered410WhenTheRegistrationIsUnchanged() throws Exception {
    dispatcher = new WebhookDispatcher(delivery::deliver, log, 100);
    Receiver gone = receiver(410, 0);

    CountDownLatch first = new CountDownLatch(1);
    submit("api", 0, gone.url(), "w1", first::countDown);
    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    CountDownLatch second = new CountDownLatch(1);
    submit("api", 0, gone.url(), "w2", second::countDown);
    assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
    CountDownLatch changed = new CountDownLatch(1);
    submitVersion("api", 2, 0, gone.url(), "w3", changed::countDown); // registration changed: tried again
    assertThat(changed.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(gone.at()).hasSize(2);
    JsonNode document = new ObjectMapper().readTree(published.get("api"));
    assertThat(document.path("recent").findValuesAsText("outcome")).containsExactly("GONE", "SKIPPED", "GONE");
    assertThat(document.path("endpoints").get(0).path("state").asText()).isEqualTo("GONE");
    assertThat(document.path("endpoints").get(0).path("host").asText()).isEqualTo("localhost");
    assertThat(published.get("api")).doesNotContain("/hook");
  }

  @Test
  void shouldGoOnDeliveringWhenADeliveryThrows() throws Exception {
    Receiver healthy = receiver(204, 0);
    dispatcher = new WebhookDispatcher((url, id, body) -> {
      if (id.equals("boom")) {
        throw new IllegalStateException("a bug in a delivery");
      }
      return delivery.deliver(url, id, body);
    }, log, 100);

    CountDownLatch done = new CountDownLatch(3);
    submit("api", 0, healthy.url(), "boom", done::countDown);
    submit("api", 0, healthy.url(), "after", done::countDown);
    submit("other", 0, healthy.url(), "other", done::countDown);

    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(healthy.at()).hasSize(2);
    assertThat(new ObjectMapper().readTree(published.get("api")).path("recent").findValuesAsText("outcome"))
        .containsExactly("DELIVERED", "DROPPED");
  }

  @Test
  void shouldDropWhenTheReceiversQueueIsFull() throws Exception {
    dispatcher = new WebhookDispatcher(delivery::deliver, log, 1);
    Receiver slow = receiver(204, 1_000);

    CountDownLatch done = new CountDownLatch(3);
    submit("api", 0, slow.url(), "in-flight", done::countDown);
    awaitSize(slow.at(), 1, Duration.ofSeconds(5));
    submit("api", 0, slow.url(), "queued", done::countDown);
    submit("api", 0, slow.url(), "dropped", done::countDown);

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(slow.at()).hasSize(2);
    JsonNode recent = new ObjectMapper().readTree(published.get("api")).path("recent");
    assertThat(recent.findValuesAsText("webhookId")).containsExactly("queued", "in-flight", "dropped");
    assertThat(recent.findValuesAsText("outcome")).containsExactly("DELIVERED", "DELIVERED", "DROPPED");
  }

  private void submit(String apiId, int index, String url, String webhookId, Runnable done) {
    submitVersion(apiId, 1, index, url, webhookId, done);
  }

  private void submitVersion(String apiId, long version, int index, String url, String webhookId, Runnable done) {
    dispatcher.submit(new WebhookDispatcher.Job(new DeliveryLog.Entry(apiId, version, index, url, webhookId, "FAILING"),
        "{\"id\":\"" + webhookId + "\"}", done));
  }

  private static void awaitSize(List<?> list, int size, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Test
  void shouldForgetAReceiverOnceItsQueueHasDrainedWhenManyEndpointsCameAndWent() throws Exception {
    Receiver healthy = receiver(204, 0);
    dispatcher = new WebhookDispatcher(delivery::deliver, log, 100);
    int endpoints = 500; // e.g. registrations whose webhook URLs changed over months
    CountDownLatch done = new CountDownLatch(endpoints);
    for (int i = 0; i < endpoints; i++) {
      String url = healthy.url() + "?endpoint=" + i;
      dispatcher.submit(new WebhookDispatcher.Job(new DeliveryLog.Entry("api", 1, 0, url, "id-" + i, "FAILING"),
          "{}", done::countDown));
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (dispatcher.receivers() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(healthy.at().size()).isEqualTo(endpoints);
    assertThat(dispatcher.receivers()).isEqualTo(0);
  }
}
