package io.seismo.ingest.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.runtime.topic.DeliveryTable;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What became of each API's webhook deliveries: per endpoint its state (ACTIVE, or GONE after a 410
 * until the registration changes) and counts, and the most recent deliveries. Every change is published
 * as the API's whole document (see {@link DeliveryTable} for its shape) to {@code seismo.deliveries};
 * an API seen for the first time starts from its stored document, so GONE survives restarts and
 * partition moves. Endpoints are named by host and fingerprint, never by URL. Thread-safe.
 */
final class DeliveryLog {

  private static final Logger log = LoggerFactory.getLogger(DeliveryLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int RECENT = 20;
  static final int ENDPOINTS = 64;
  /** APIs kept in memory; beyond, the least recently used one is read back from its record when needed. */
  static final int MAX_APIS = 10_000;

  /** One delivery to record. */
  record Entry(String apiId, long registrationVersion, int index, String url, String webhookId, String kind) {}

  private final Function<String, Optional<String>> stored;
  private final BiConsumer<String, String> publisher;
  private final Clock clock;
  /**
   * The APIs seen, least recently used first, at most {@link #MAX_APIS}: an API deleted (or idle) long ago
   * is dropped and, if it alerts again, read back from its record on {@code seismo.deliveries}.
   */
  private final Map<String, ApiDeliveries> byApi = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ApiDeliveries> eldest) {
          return size() > MAX_APIS;
        }
      });

  DeliveryLog(Function<String, Optional<String>> stored, BiConsumer<String, String> publisher, Clock clock) {
    this.stored = stored;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** True if the endpoint answered 410 Gone and the registration has not changed since. */
  boolean isGone(String apiId, String url, long registrationVersion) {
    ApiDeliveries api = api(apiId);
    synchronized (api) {
      ObjectNode endpoint = api.endpoints.get(DeliveryTable.fingerprint(url));
      return endpoint != null && "GONE".equals(endpoint.path("state").asText())
          && endpoint.path("goneAtVersion").asLong() >= registrationVersion;
    }
  }

  void record(Entry entry, WebhookDelivery.Outcome outcome) {
    ApiDeliveries api = api(entry.apiId());
    synchronized (api) {
      String fingerprint = DeliveryTable.fingerprint(entry.url());
      String host = host(entry.url());
      String at = clock.instant().toString();
      ObjectNode endpoint = api.endpoints.computeIfAbsent(fingerprint, f -> JSON.createObjectNode()
          .put("fingerprint", f).put("state", "ACTIVE").put("delivered", 0).put("failed", 0));
      endpoint.put("host", host).put("index", entry.index());
      if (api.endpoints.size() > ENDPOINTS) {
        api.endpoints.remove(api.endpoints.keySet().iterator().next()); // the longest known, likely unregistered
      }
      if (outcome.result() == WebhookDelivery.Result.GONE) {
        endpoint.put("state", "GONE").put("goneAtVersion", entry.registrationVersion());
      } else if (outcome.result() != WebhookDelivery.Result.SKIPPED && "GONE".equals(endpoint.path("state").asText())) {
        endpoint.put("state", "ACTIVE").remove("goneAtVersion"); // the registration changed since
      }
      if (outcome.delivered()) {
        endpoint.put("delivered", endpoint.path("delivered").asLong() + 1);
      } else if (outcome.result() != WebhookDelivery.Result.SKIPPED) {
        endpoint.put("failed", endpoint.path("failed").asLong() + 1);
      }
      endpoint.put("lastOutcome", outcome.result().name()).put("lastAt", at)
          .put("lastHttpStatus", outcome.httpStatus()).put("lastError", outcome.lastError());
      ObjectNode recent = JSON.createObjectNode().put("at", at).put("webhookId", entry.webhookId())
          .put("kind", entry.kind()).put("index", entry.index()).put("host", host).put("fingerprint", fingerprint)
          .put("outcome", outcome.result().name()).put("attempts", outcome.attempts())
          .put("httpStatus", outcome.httpStatus()).put("error", outcome.lastError());
      api.recent.addFirst(recent);
      while (api.recent.size() > RECENT) {
        api.recent.removeLast();
      }
      // published under the API's lock: two webhooks of one alert answer at once, and the record sent last
      // (the one readers keep) must be the newer document, not whichever thread reached the producer last
      publisher.accept(entry.apiId(), api.document(entry.apiId(), at));
    }
  }

  /** How many APIs are in memory (for tests). */
  int apisInMemory() {
    return byApi.size();
  }

  /** Forgets what is in memory: each API starts again from its stored document (after a rebalance). */
  void forgetAll() {
    byApi.clear();
  }

  private ApiDeliveries api(String apiId) {
    return byApi.computeIfAbsent(apiId, id -> ApiDeliveries.from(stored.apply(id)));
  }

  /** The host only: webhook URLs may carry tokens in their paths or queries. */
  static String host(String url) {
    if (url.startsWith(ChannelSender.PREFIX)) {
      return url; // a named channel: its name, never its URL
    }
    HttpUrl parsed = HttpUrl.parse(url);
    return parsed == null ? "(invalid URL)" : parsed.host();
  }

  private static final class ApiDeliveries {
    final Map<String, ObjectNode> endpoints = new LinkedHashMap<>();
    final Deque<ObjectNode> recent = new ArrayDeque<>();

    static ApiDeliveries from(Optional<String> document) {
      ApiDeliveries api = new ApiDeliveries();
      if (document.isEmpty()) {
        return api;
      }
      try {
        JsonNode stored = JSON.readTree(document.get());
        for (JsonNode endpoint : stored.path("endpoints")) {
          if (endpoint instanceof ObjectNode object && endpoint.hasNonNull("fingerprint")) {
            api.endpoints.put(endpoint.get("fingerprint").asText(), object);
          }
        }
        for (JsonNode delivery : stored.path("recent")) {
          if (delivery instanceof ObjectNode object && api.recent.size() < RECENT) {
            api.recent.addLast(object);
          }
        }
      } catch (IOException | RuntimeException e) {
        log.warn("unreadable delivery record ignored error={}", e.getClass().getSimpleName());
      }
      return api;
    }

    String document(String apiId, String at) {
      ObjectNode document = JSON.createObjectNode().put("apiId", apiId).put("updatedAt", at);
      ArrayNode endpointArray = document.putArray("endpoints");
      endpoints.values().forEach(endpointArray::add);
      ArrayNode recentArray = document.putArray("recent");
      recent.forEach(recentArray::add);
      return document.toString();
    }
  }
}
