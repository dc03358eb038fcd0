package io.seismo.ingest.notify.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;

/**
 * One alert as every channel renders it: the same fields as Seismo's own webhook body
 * ({@code id}, {@code apiId}, {@code kind}, {@code at}, {@code detail}).
 */
public record AlertMessage(String id, String apiId, String kind, Instant at, String detail) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** From the body of Seismo's own webhook (what the notifier builds once per alert). */
  public static AlertMessage fromWebhookBody(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return new AlertMessage(node.path("id").asText(), node.path("apiId").asText(), node.path("kind").asText(),
          Instant.parse(node.path("at").asText()), node.path("detail").asText(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A one-line summary for humans: "weather-api is FAILING". */
  public String summary() {
    return switch (kind) {
      case "FAILING" -> apiId + " is FAILING";
      case "STALLED" -> apiId + " has STALLED (no samples)";
      case "RECOVERED" -> apiId + " has RECOVERED";
      case "CHANGED" -> apiId + " changed";
      case "THRESHOLD" -> apiId + " crossed a threshold";
      case "TEST" -> "Test alert for " + apiId;
      default -> apiId + ": " + kind.toLowerCase(Locale.ROOT);
    };
  }

  /** Whether the alert reports a problem (red), its end (green) or neither. */
  public Severity severity() {
    return switch (kind) {
      case "FAILING", "STALLED", "THRESHOLD" -> Severity.PROBLEM;
      case "RECOVERED" -> Severity.RESOLVED;
      default -> Severity.INFO;
    };
  }

  public enum Severity { PROBLEM, RESOLVED, INFO }
}
