package io.seismo.ingest.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
}
