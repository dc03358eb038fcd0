package io.seismo.api.registration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /apis} and {@code PUT /apis/{id}}. Field names are those of the
 * {@code Registration} record. Only {@code apiId} (POST) and {@code url} are required.
 */
public record RegistrationRequest(
    String apiId,
    String url,
    ApiMode mode,
    Long pollIntervalMs,
    Map<String, String> headers,
    String jsonPointer,
    DesiredState desiredState,
    List<String> notifyWebhooks,
    Boolean alertOnChange) {

  @JsonCreator
  public RegistrationRequest(
      @JsonProperty("apiId") String apiId,
      @JsonProperty("url") String url,
      @JsonProperty("mode") ApiMode mode,
      @JsonProperty("pollIntervalMs") Long pollIntervalMs,
      @JsonProperty("headers") Map<String, String> headers,
      @JsonProperty("jsonPointer") String jsonPointer,
      @JsonProperty("desiredState") DesiredState desiredState,
      @JsonProperty("notifyWebhooks") List<String> notifyWebhooks,
      @JsonProperty("alertOnChange") Boolean alertOnChange) {
    this.apiId = apiId;
    this.url = url;
    this.mode = mode;
    this.pollIntervalMs = pollIntervalMs;
    this.headers = headers;
    this.jsonPointer = jsonPointer;
    this.desiredState = desiredState;
    this.notifyWebhooks = notifyWebhooks;
    this.alertOnChange = alertOnChange;
  }
}
