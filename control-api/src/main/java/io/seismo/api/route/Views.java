package io.seismo.api.route;

import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** JSON shapes of the REST API. Field names are those of the Avro records they show. */
final class Views {

  private static final Pattern SENSITIVE = Pattern.compile("authorization|cookie|.*(key|token|secret|password|auth).*");

  private Views() {}

  record ErrorView(String category, String message) {
    static ErrorView of(SampleError error) {
      return error == null ? null : new ErrorView(error.getCategory().name(), error.getMessage());
    }
  }

  record StatusView(String apiId, String state, long pollIntervalMs, long samples, long changes, long errors,
                    long notModified, int consecutiveFailures, Instant lastSampleAt, Instant lastChangeAt,
                    int lastHttpStatus, long lastLatencyMs, long lastPayloadBytes, long totalPayloadBytes,
                    long totalWireBytes, String lastContentHash, ErrorView lastError, Instant updatedAt) {

    static StatusView of(ApiStatus s) {
      return new StatusView(s.getApiId(), s.getState().name(), s.getPollIntervalMs(), s.getSamples(), s.getChanges(),
          s.getErrors(), s.getNotModified(), s.getConsecutiveFailures(), s.getLastSampleAt(), s.getLastChangeAt(),
          s.getLastHttpStatus(), s.getLastLatencyMs(), s.getLastPayloadBytes(), s.getTotalPayloadBytes(),
          s.getTotalWireBytes(), s.getLastContentHash(), ErrorView.of(s.getLastError()), s.getUpdatedAt());
    }
  }

  record RegistrationView(String apiId, String url, String mode, long pollIntervalMs, Map<String, String> headers,
                          String jsonPointer, String desiredState, List<String> notifyWebhooks, boolean alertOnChange,
                          long version, Instant createdAt, Instant updatedAt) {

    static RegistrationView of(Registration r) {
      return new RegistrationView(r.getApiId(), r.getUrl(), r.getMode().name(), r.getPollIntervalMs(),
          redacted(r.getHeaders()), r.getJsonPointer(), r.getDesiredState().name(), r.getNotifyWebhooks(),
          r.getAlertOnChange(), r.getVersion(), r.getCreatedAt(), r.getUpdatedAt());
    }
  }

  /** Secret references (${env:NAME}) are shown as written; literal values of sensitive headers are not. */
  static Map<String, String> redacted(Map<String, String> headers) {
    Map<String, String> shown = new TreeMap<>();
    headers.forEach((name, value) -> shown.put(name,
        value.contains("${env:") || !SENSITIVE.matcher(name.toLowerCase(Locale.ROOT)).matches() ? value : "<redacted>"));
    return shown;
  }
}
