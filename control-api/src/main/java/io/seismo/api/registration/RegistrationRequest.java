package io.seismo.api.registration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /apis} and {@code PUT /apis/{id}}. Field names are those of the
 * {@code Registration} record. Only {@code apiId} (POST) and {@code url} are required. The read-only
 * fields of a read registration ({@code version}, {@code createdAt}, {@code updatedAt}) may be sent
 * back: ignored on POST, on PUT they must match the current registration.
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
    Boolean alertOnChange,
    Long version,
    String createdAt,
    String updatedAt,
    List<String> notifyChannels,
    List<String> ignore,
    List<String> select,
    List<String> unorderedArrays,
    Map<String, String> arrayKeys,
    List<AlertRules.RuleRequest> rules,
    List<AlertRules.TimeRangeRequest> silences,
    AlertRules.ScheduleRequest schedule) {

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
      @JsonProperty("alertOnChange") Boolean alertOnChange,
      @JsonProperty("version") Long version,
      @JsonProperty("createdAt") String createdAt,
      @JsonProperty("updatedAt") String updatedAt,
      @JsonProperty("notifyChannels") List<String> notifyChannels,
      @JsonProperty("ignore") List<String> ignore,
      @JsonProperty("select") List<String> select,
      @JsonProperty("unorderedArrays") List<String> unorderedArrays,
      @JsonProperty("arrayKeys") Map<String, String> arrayKeys,
      @JsonProperty("rules") List<AlertRules.RuleRequest> rules,
      @JsonProperty("silences") List<AlertRules.TimeRangeRequest> silences,
      @JsonProperty("schedule") AlertRules.ScheduleRequest schedule) {
    this.apiId = apiId;
    this.url = url;
    this.mode = mode;
    this.pollIntervalMs = pollIntervalMs;
    this.headers = headers;
    this.jsonPointer = jsonPointer;
    this.desiredState = desiredState;
    this.notifyWebhooks = notifyWebhooks;
    this.alertOnChange = alertOnChange;
    this.version = version;
    this.createdAt = createdAt;
    this.updatedAt = updatedAt;
    this.notifyChannels = notifyChannels;
    this.ignore = ignore;
    this.select = select;
    this.unorderedArrays = unorderedArrays;
    this.arrayKeys = arrayKeys;
    this.rules = rules;
    this.silences = silences;
    this.schedule = schedule;
  }

  /** The same request with these webhooks. */
  RegistrationRequest withWebhooks(List<String> newWebhooks) {
    return new RegistrationRequest(apiId, url, mode, pollIntervalMs, headers, jsonPointer, desiredState,
        newWebhooks, alertOnChange, version, createdAt, updatedAt, notifyChannels, ignore, select, unorderedArrays, arrayKeys, rules, silences, schedule);
  }

  /** The same request with this apiId, these headers and this desired state. */
  RegistrationRequest with(String id, Map<String, String> newHeaders, DesiredState newDesiredState) {
    return new RegistrationRequest(id, url, mode, pollIntervalMs, newHeaders, jsonPointer, newDesiredState,
        notifyWebhooks, alertOnChange, version, createdAt, updatedAt, notifyChannels, ignore, select, unorderedArrays, arrayKeys, rules, silences, schedule);
  }

  /** The registration this request describes, defaults filled in. */
  Registration toRegistration(long version, Instant createdAt, Instant updatedAt) {
    return Registration.newBuilder()
        .setApiId(apiId())
        .setUrl(url())
        .setMode(mode() == null ? ApiMode.POLL : mode())
        .setPollIntervalMs(pollIntervalMs() == null ? 60_000 : pollIntervalMs())
        .setHeaders(headers() == null ? Map.of() : new HashMap<>(headers()))
        .setJsonPointer(jsonPointer() == null || jsonPointer().isEmpty() ? null : jsonPointer())
        .setDesiredState(desiredState() == null ? DesiredState.RUNNING : desiredState())
        .setNotifyWebhooks(notifyWebhooks() == null ? List.of() : List.copyOf(notifyWebhooks()))
        .setAlertOnChange(alertOnChange() != null && alertOnChange())
        .setNotifyChannels(notifyChannels() == null ? List.of() : List.copyOf(notifyChannels()))
        .setVersion(version)
        .setCreatedAt(createdAt)
        .setUpdatedAt(updatedAt)
        .setIgnore(ignore() == null ? List.of() : List.copyOf(ignore()))
        .setSelect(select() == null ? List.of() : List.copyOf(select()))
        .setUnorderedArrays(unorderedArrays() == null ? List.of() : List.copyOf(unorderedArrays()))
        .setArrayKeys(arrayKeys() == null ? Map.of() : new LinkedHashMap<>(arrayKeys()))
        .setRules(AlertRules.toRules(rules()))
        .setSilences(AlertRules.toRanges(silences()))
        .setSchedule(AlertRules.toSchedule(schedule()))
        .build();
  }
}
