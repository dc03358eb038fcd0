package io.seismo.ingest.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.Alert;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The JSON body of the webhook that announces an alert. */
final class WebhookBody {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookBody() {
  }

  static String of(String webhookId, Alert alert) {
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
}
