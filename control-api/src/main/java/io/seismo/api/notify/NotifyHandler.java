package io.seismo.api.notify;

import io.javalin.http.Context;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.error.ProblemException;
import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.Registration;
import io.seismo.schemas.config.KafkaClients;
import io.seismo.schemas.topic.RegistrationTable;
import io.seismo.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
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
 */
public final class NotifyHandler implements AutoCloseable {

  private final TokenAuth auth;
  private final RegistrationTable table;
  private final KafkaProducer<String, Alert> producer;
  private final Clock clock;

  public NotifyHandler(TokenAuth auth, RegistrationTable table, String bootstrapServers, Properties overrides, Clock clock) {
    this.auth = auth;
    this.table = table;
    this.clock = clock;
    Properties props = KafkaClients.reliableProducer(bootstrapServers, "seismo-api-alerts", overrides);
    this.producer = new KafkaProducer<>(props, Topics.ALERTS.keySerde().serializer(), Topics.ALERTS.valueSerde().serializer());
  }

  public void notify(Context ctx) {
    auth.requireWrite(ctx);
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
    Alert alert = new Alert(apiId, AlertKind.TEST, clock.instant(), "test notification requested through the control API");
    try {
      producer.send(new ProducerRecord<>(Topics.ALERTS.name(), apiId, alert)).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("interrupted while queueing the notification");
    } catch (ExecutionException | TimeoutException e) {
      throw ProblemException.unavailable("the notification could not be queued: " + e);
    }
    ctx.status(202).json(Map.of("apiId", apiId, "kind", "TEST", "targets", registration.getNotifyWebhooks().size()));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
