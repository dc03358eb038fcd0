package io.seismo.ingest.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {

  @Test
  void shouldKeepABoundedNumberOfApisInMemoryAndReloadAnEvictedOneFromItsRecordWhenManyApisCameAndWent() {
    Map<String, String> published = new ConcurrentHashMap<>(); // what seismo.deliveries holds, per API
    DeliveryLog log = new DeliveryLog(apiId -> Optional.ofNullable(published.get(apiId)), published::put,
        Clock.systemUTC());
    String url = "https://hooks.example.org/seismo";
    log.record(new DeliveryLog.Entry("gone-api", 3, 0, url, "w-0", "FAILING"),
        new WebhookDelivery.Outcome(WebhookDelivery.Result.GONE, 1, 410, "HTTP 410"));
    int apis = DeliveryLog.MAX_APIS + 500; // APIs created, alerted once, deleted, over a long run
    for (int i = 0; i < apis; i++) {
      log.record(new DeliveryLog.Entry("api-" + i, 1, 0, url, "w-" + i, "FAILING"),
          new WebhookDelivery.Outcome(WebhookDelivery.Result.DELIVERED, 1, 204, null));
    }

    assertThat(log.apisInMemory()).isEqualTo(DeliveryLog.MAX_APIS);
    assertThat(log.isGone("gone-api", url, 3)).isTrue(); // evicted long ago, read back from its record
  }

  @Test
  void shouldPublishTheDocumentWithBothDeliveriesLastWhenTwoWebhooksOfAnApiAnswerAtOnce() throws Exception {
    // the first delivery's publish is slow (the producer waited for metadata); the second delivery is recorded
    // meanwhile. The record published last is what readers keep: it must hold both deliveries.
    List<String> published = new CopyOnWriteArrayList<>();
    CountDownLatch secondPublished = new CountDownLatch(1);
    AtomicBoolean firstCall = new AtomicBoolean(true);
    DeliveryLog log = new DeliveryLog(apiId -> Optional.empty(), (apiId, document) -> {
      if (firstCall.getAndSet(false)) {
        try {
          secondPublished.await(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        secondPublished.countDown();
      }
      published.add(document);
    }, Clock.systemUTC());
    Thread first = Thread.ofPlatform().start(() -> log.record(
        new DeliveryLog.Entry("api", 1, 0, "https://a.example.org/hook", "w-1", "FAILING"),
        new WebhookDelivery.Outcome(WebhookDelivery.Result.DELIVERED, 1, 200, null)));
    Thread.sleep(100);
    log.record(new DeliveryLog.Entry("api", 1, 1, "https://b.example.org/hook", "w-1", "FAILING"),
        new WebhookDelivery.Outcome(WebhookDelivery.Result.REFUSED, 1, 404, "HTTP 404"));
    first.join();

    assertThat(published).hasSize(2);
    assertThat(new ObjectMapper().readTree(published.get(1)).path("recent").size()).as(published.get(1)).isEqualTo(2);
  }
}
