package io.seismo.api.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.seismo.api.error.ProblemException;
import io.seismo.runtime.config.KafkaClients;
import io.seismo.runtime.topic.DeliveryTable;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.Registration;
import io.seismo.schemas.serde.RecordFormat;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code POST /apis/{id}/notify}: sends a TEST alert to the API's webhooks, through the same path as
 * real alerts ({@code seismo.alerts} → the notifier), so a user sees exactly what a receiver will get.
 * {@code GET /apis/{id}/deliveries}: what became of them — the notifier records every delivery on
 * {@code seismo.deliveries}, which this instance reads into a {@link DeliveryTable}.
 */
public final class NotifyHandler implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistrationTable table;
  private final KafkaProducer<String, Alert> producer;
  private final Clock clock;
  private final DeliveryTable deliveries;

  public NotifyHandler(RegistrationTable table, String bootstrapServers, Properties overrides, Clock clock) {
    this(table, bootstrapServers, overrides, clock, RecordFormat.AVRO);
  }

  /** TEST alerts are written in {@code format}, as the topology writes the other alerts (SEISMO_OUTPUT_FORMAT). */
  public NotifyHandler(RegistrationTable table, String bootstrapServers, Properties overrides, Clock clock,
                       RecordFormat format) {
    this.table = table;
    this.clock = clock;
    this.deliveries = new DeliveryTable(bootstrapServers, overrides, "seismo-api-delivery-table").start();
    Properties props = KafkaClients.reliableProducer(bootstrapServers, "seismo-api-alerts", overrides);
    this.producer = new KafkaProducer<>(props, Topics.ALERTS.keySerde().serializer(), format.serializer(Topics.ALERTS));
  }

  /** The delivery records this instance reads (shared with {@link AlertHandlers}). */
  public DeliveryTable deliveryTable() {
    return deliveries;
  }

  public void notify(Context ctx) {
    String apiId = ctx.pathParam("id");
    if (!table.loaded()) {
      throw ProblemException.unavailable("registrations are still loading; retry shortly");
    }
    Registration registration = table.get(apiId)
        .orElseThrow(() -> ProblemException.notFound("no API with apiId '" + apiId + "'"));
    if (registration.getNotifyWebhooks().isEmpty()) {
      throw new ProblemException(422, "no-targets", "No notification targets",
          "API '" + apiId + "' has no notifyWebhooks; add some with PUT /apis/" + apiId, List.of(), Optional.empty());
    }
    Alert alert = new Alert(apiId, AlertKind.TEST, clock.instant(), "test notification requested through the control API",
        null, null);
    try {
      producer.send(new ProducerRecord<>(Topics.ALERTS.name(), apiId, alert)).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while queueing the notification");
    } catch (ExecutionException | TimeoutException e) {
      throw ProblemException.unavailable("the notification could not be queued: " + e);
    }
    ctx.status(HttpStatus.ACCEPTED).json(Map.of("apiId", apiId, "kind", "TEST", "targets", registration.getNotifyWebhooks().size()));
  }

  /**
   * The API's webhook endpoints as registered now (index, host and fingerprint, never the URL: it may
   * hold a token), each ACTIVE or GONE (answered 410 since the registration last changed) with its
   * counts and last outcome, and its most recent deliveries, newest first.
   */
  public void deliveries(Context ctx) {
    String apiId = ctx.pathParam("id");
    if (!table.loaded() || !deliveries.loaded()) {
      throw ProblemException.unavailable("registrations and delivery records are still loading; retry shortly");
    }
    Registration registration = table.get(apiId)
        .orElseThrow(() -> ProblemException.notFound("no API with apiId '" + apiId + "'"));
    JsonNode stored = deliveries.get(apiId).map(NotifyHandler::parse).orElse(JSON.createObjectNode());
    Map<String, JsonNode> known = new HashMap<>();
    stored.path("endpoints").forEach(endpoint -> known.put(endpoint.path("fingerprint").asText(), endpoint));
    ObjectNode body = JSON.createObjectNode().put("apiId", apiId);
    ArrayNode endpoints = body.putArray("endpoints");
    List<String> webhooks = registration.getNotifyWebhooks();
    for (int i = 0; i < webhooks.size(); i++) {
      String fingerprint = DeliveryTable.fingerprint(webhooks.get(i));
      JsonNode seen = known.get(fingerprint);
      boolean gone = seen != null && "GONE".equals(seen.path("state").asText())
          && seen.path("goneAtVersion").asLong() >= registration.getVersion();
      ObjectNode endpoint = endpoints.addObject().put("index", i).put("host", host(webhooks.get(i)))
          .put("fingerprint", fingerprint).put("state", gone ? "GONE" : "ACTIVE")
          .put("delivered", seen == null ? 0 : seen.path("delivered").asLong())
          .put("failed", seen == null ? 0 : seen.path("failed").asLong());
      if (seen != null) {
        for (String field : List.of("lastOutcome", "lastAt", "lastHttpStatus", "lastError")) {
          endpoint.set(field, seen.path(field).isMissingNode() ? NullNode.getInstance() : seen.get(field));
        }
      }
    }
    body.set("recent", stored.path("recent").isArray() ? stored.get("recent") : JSON.createArrayNode());
    ctx.json(body);
  }

  /** The host only: webhook URLs may carry tokens in their paths or queries. */
  private static String host(String url) {
    try {
      String host = URI.create(url).getHost();
      return host == null ? "(invalid URL)" : host;
    } catch (IllegalArgumentException e) {
      return "(invalid URL)";
    }
  }

  private static JsonNode parse(String document) {
    try {
      return JSON.readTree(document);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    deliveries.close();
  }
}
