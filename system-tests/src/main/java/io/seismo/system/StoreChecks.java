package io.seismo.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** The checks of the stores (over REST) against the output topics, and of the acknowledged registrations. */
final class StoreChecks {

  private StoreChecks() {}

  /** One API's status and windows in the store == the last record of each on the output topic. */
  static void apiStores(String id, int index, ApiStatus status, Map<String, Map<Long, ApiMetrics>> apiMetrics,
                        Verifier.Stores stores, List<String> failures) {
    try {
      if (status != null) {
        JsonNode view = stores.status(id, index);
        compare(failures, id, "status samples", view.path("samples").asLong(-1), status.getSamples());
        compare(failures, id, "status changes", view.path("changes").asLong(-1), status.getChanges());
        compare(failures, id, "status errors", view.path("errors").asLong(-1), status.getErrors());
        compare(failures, id, "status notModified", view.path("notModified").asLong(-1), status.getNotModified());
        compare(failures, id, "status payloads", view.path("payloads").asLong(-1), status.getPayloads());
        if (!Objects.equals(view.path("lastContentHash").asText(null), status.getLastContentHash())) {
          failures.add(id + ": store lastContentHash differs from " + Topics.STATUS.name());
        }
      }
      for (Map.Entry<String, Map<Long, ApiMetrics>> window : apiMetrics.entrySet()) {
        Map<Long, ApiMetrics> onTopic = window.getValue();
        if (onTopic.isEmpty()) {
          continue;
        }
        Instant from = Instant.ofEpochMilli(((TreeMap<Long, ApiMetrics>) onTopic).firstKey());
        Instant to = Instant.ofEpochMilli(((TreeMap<Long, ApiMetrics>) onTopic).lastKey()); // window starts in [from, to]
        JsonNode view = stores.metrics(id, window.getKey(), from, to, index);
        Map<Long, JsonNode> stored = new HashMap<>();
        for (JsonNode item : view.path("items")) {
          stored.put(Instant.parse(item.path("windowStart").asText()).toEpochMilli(), item);
        }
        for (ApiMetrics m : onTopic.values()) {
          JsonNode item = stored.remove(m.getWindowStart());
          String label = "window " + window.getKey() + "@" + Instant.ofEpochMilli(m.getWindowStart());
          if (item == null) {
            failures.add(id + ": " + label + " is on " + Topics.METRICS.name() + " but not in the store");
            continue;
          }
          compare(failures, id, label + " samples", item.path("samples").asLong(-1), m.getSamples());
          compare(failures, id, label + " changes", item.path("changes").asLong(-1), m.getChanges());
          compare(failures, id, label + " errors", item.path("errors").asLong(-1), m.getErrors());
          compare(failures, id, label + " payloads", item.path("payloads").asLong(-1), m.getPayloads());
        }
        for (Long extra : stored.keySet()) {
          failures.add(id + ": window " + window.getKey() + "@" + Instant.ofEpochMilli(extra) + " is in the store but not on "
              + Topics.METRICS.name());
        }
      }
    } catch (IOException e) {
      failures.add(id + ": the control API did not answer: " + e.getMessage());
    }
  }

  /** Every registration the control API answered 201 for is on the registrations topic and answers GET /apis/{id}. */
  static void registrations(Set<String> acknowledged, Map<String, ?> onRegistrationsTopic, Verifier.Stores stores,
                            List<String> failures, Tally tally) {
    for (String id : acknowledged) {
      boolean onTopic = onRegistrationsTopic.containsKey(id);
      int code;
      try {
        code = stores.registration(id);
      } catch (IOException e) {
        code = -1;
      }
      if (!onTopic || code != 200) {
        tally.registrationsLost++;
        failures.add(id + ": acknowledged registration lost (on topic: " + onTopic + ", GET /apis/" + id + ": " + code + ")");
      }
    }
  }

  private static void compare(List<String> failures, String id, String what, long store, long topic) {
    if (store != topic) {
      failures.add(id + ": " + what + " in the store (REST) " + store + " != " + topic + " on the output topic");
    }
  }
}
