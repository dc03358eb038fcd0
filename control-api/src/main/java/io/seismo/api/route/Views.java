package io.seismo.api.route;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.util.RawValue;
import io.seismo.api.registration.AlertRules;
import io.seismo.api.registration.Redaction;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Execution;
import io.seismo.schemas.HttpHeader;
import io.seismo.schemas.Incident;
import io.seismo.schemas.IncidentState;
import io.seismo.schemas.Measured;
import io.seismo.schemas.PhaseTimings;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Schedule;
import io.seismo.schemas.schedule.InvalidScheduleException;
import io.seismo.schemas.schedule.ScheduleSpec;
import io.seismo.topology.analysis.LatencySketch;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** JSON shapes of the REST API. Field names are those of the Avro records they show. */
final class Views {

  private Views() {}

  record ErrorView(String category, String message) {
    static ErrorView of(SampleError error) {
      return error == null ? null : new ErrorView(error.getCategory().name(), error.getMessage());
    }
  }

  /** Bytes of the three ways of following an API, and what each saves over plain polling. */
  record EfficiencyView(long bytesPolled, long bytesConditional, long bytesStreamed,
                        Double conditionalSavingRatio, Double streamingSavingRatio) {
    static EfficiencyView of(long polled, long conditional, long streamed) {
      return new EfficiencyView(polled, conditional, streamed, saving(polled, conditional), saving(polled, streamed));
    }

    /** 1 - cost / polled: 0.9 means 90% fewer bytes than plain polling. */
    private static Double saving(long polled, long cost) {
      return polled == 0 ? null : 1.0 - (double) cost / polled;
    }
  }

  record StatusView(String apiId, String state, long pollIntervalMs, long samples, long payloads, long changes,
                    Double changeRatio, long errors, long notModified, int consecutiveFailures, Instant lastSampleAt,
                    Instant lastChangeAt, int lastHttpStatus, long lastLatencyMs, long lastPayloadBytes,
                    long lastDocumentBytes, long totalPayloadBytes, long totalWireBytes, EfficiencyView efficiency,
                    String lastContentHash, ErrorView lastError, Instant updatedAt, boolean lastPayloadJson,
                    MeasuredView measured, ScheduleView schedule) {

    static StatusView of(ApiStatus s) {
      return new StatusView(s.getApiId(), s.getState().name(), s.getPollIntervalMs(), s.getSamples(), s.getPayloads(),
          s.getChanges(), s.getPayloads() == 0 ? null : (double) s.getChanges() / s.getPayloads(), s.getErrors(),
          s.getNotModified(), s.getConsecutiveFailures(), instant(s.getLastSampleAt()), instant(s.getLastChangeAt()),
          s.getLastHttpStatus(), s.getLastLatencyMs(), s.getLastPayloadBytes(), s.getLastDocumentBytes(),
          s.getTotalPayloadBytes(), s.getTotalWireBytes(),
          EfficiencyView.of(s.getTotalBytesPolled(), s.getTotalBytesConditional(), s.getTotalBytesStreamed()),
          s.getLastContentHash(), ErrorView.of(s.getLastError()), instant(s.getUpdatedAt()), s.getLastPayloadJson(),
          MeasuredView.of(s.getMeasured()), null);
    }

    /** The same status with where the API's schedule stands now (null when it has none). */
    StatusView withSchedule(Schedule schedule, Instant now) {
      return schedule == null ? this : new StatusView(apiId, state, pollIntervalMs, samples, payloads, changes,
          changeRatio, errors, notModified, consecutiveFailures, lastSampleAt, lastChangeAt, lastHttpStatus,
          lastLatencyMs, lastPayloadBytes, lastDocumentBytes, totalPayloadBytes, totalWireBytes, efficiency,
          lastContentHash, lastError, updatedAt, lastPayloadJson, measured, ScheduleView.of(schedule, now));
    }
  }

  /** Whether the API's schedule lets it be polled now, and a sentence saying until when. */
  record ScheduleView(boolean active, String description, Instant nextPollAt) {
    static ScheduleView of(Schedule schedule, Instant now) {
      ScheduleSpec spec;
      try {
        spec = ScheduleSpec.of(schedule);
      } catch (InvalidScheduleException e) {
        return new ScheduleView(true, "invalid schedule, polled every interval: " + e.getMessage(), null);
      }
      return new ScheduleView(spec.active(now), spec.describe(now),
          spec.cron() || !spec.active(now) ? spec.nextPoll(now).orElse(null) : null);
    }
  }

  /** Where one alert rule of an API stands. */
  record IncidentView(String ruleId, String kind, String state, boolean open, Boolean holds, Instant since,
                      Instant openedAt, Double value, String detail, Instant evaluatedAt) {
    static IncidentView of(Incident i) {
      boolean open = i.getState() == IncidentState.OPEN
          || i.getState() == IncidentState.RECOVERING;
      return new IncidentView(i.getRuleId(), i.getKind().name(), i.getState().name(), open, i.getHolds(),
          instant(i.getSince()), open ? instant(i.getOpenedAt()) : null, i.getValue(), i.getDetail(),
          instant(i.getEvaluatedAt()));
    }
  }

  record MetricsView(Instant windowStart, Instant windowEnd, long samples, long payloads, long notModified,
                     long changes, Double changeRatio, Double meanChangeIntervalMs, long maxChangeIntervalMs,
                     long errors, Map<String, Long> errorsByCategory, Long sizeMin, Double sizeMean, Long sizeMax,
                     Double latencyP50Ms, Double latencyP95Ms, Double latencyP99Ms, long latencyMaxMs,
                     EfficiencyView efficiency, MeasuredView measured) {

    static MetricsView of(ApiMetrics m) {
      boolean sized = m.getPayloads() > 0;
      return new MetricsView(instant(m.getWindowStart()), instant(m.getWindowEnd()), m.getSamples(), m.getPayloads(), m.getNotModified(),
          m.getChanges(), sized ? (double) m.getChanges() / m.getPayloads() : null,
          m.getChangeIntervalCount() == 0 ? null : (double) m.getChangeIntervalSumMs() / m.getChangeIntervalCount(),
          m.getChangeIntervalMaxMs(), m.getErrors(), new TreeMap<>(m.getErrorsByCategory()),
          sized ? m.getSizeMin() : null, sized ? (double) m.getSizeSum() / m.getPayloads() : null,
          sized ? m.getSizeMax() : null,
          LatencySketch.quantile(m.getLatencySketch(), 0.50), LatencySketch.quantile(m.getLatencySketch(), 0.95),
          LatencySketch.quantile(m.getLatencySketch(), 0.99), m.getLatencyMaxMs(),
          EfficiencyView.of(m.getBytesPolled(), m.getBytesConditional(), m.getBytesStreamed()),
          MeasuredView.of(m.getMeasured()));
    }
  }

  /**
   * Polling and streaming as measured (see the Measured schema), with the means and, for an API observed
   * both ways, the sentence they add up to.
   */
  record MeasuredView(long pollBytes, long pollNotModifiedBytes, long streamBytes, long streamEvents, long streamErrors,
                      long pollVersions, long streamVersions, long matched, long streamFirst, long pollFirst,
                      Double streamLeadMeanMs, long streamLeadMaxMs, long missedByPolling, long missedByStream,
                      Double streamBytesShare, String summary) {
    static MeasuredView of(Measured m) {
      Double lead = m.getMatched() == 0 ? null : (double) m.getStreamLeadSumMs() / m.getMatched();
      Double share = m.getPollBytes() == 0 || m.getStreamBytes() == 0 ? null : (double) m.getStreamBytes() / m.getPollBytes();
      return new MeasuredView(m.getPollBytes(), m.getPollNotModifiedBytes(), m.getStreamBytes(), m.getStreamEvents(),
          m.getStreamErrors(), m.getPollVersions(), m.getStreamVersions(), m.getMatched(), m.getStreamFirst(),
          m.getPollFirst(), lead, m.getStreamLeadMaxMs(), m.getMissedByPolling(), m.getMissedByStream(), share,
          summary(m, lead, share));
    }

    /** "Streaming delivered 14 versions, 2.4 s earlier than polling on average (12 seen by both); polling missed 2; it cost 9% of polling's bytes." */
    private static String summary(Measured m, Double lead, Double share) {
      if (m.getStreamVersions() == 0 && m.getMatched() == 0) {
        return null;
      }
      StringBuilder text = new StringBuilder("Streaming delivered ").append(m.getStreamVersions())
          .append(m.getStreamVersions() == 1 ? " new version" : " new versions");
      if (lead != null) {
        text.append(String.format(Locale.ROOT, ", %.1f s %s than polling on average (%d seen by both)",
            Math.abs(lead) / 1000, lead >= 0 ? "earlier" : "later", m.getMatched()));
      }
      if (m.getMissedByPolling() > 0) {
        text.append("; polling missed ").append(m.getMissedByPolling());
      }
      if (share != null) {
        text.append(String.format(Locale.ROOT, "; it cost %.0f%% of polling's bytes", share * 100));
      }
      return text.append('.').toString();
    }
  }

  record ChangeView(Instant at, String source, long sequence, Object patch, int opCount, long patchBytes,
                    long documentBytes, String previousHash, String newHash) {
    static ChangeView of(Change c) {
      return new ChangeView(c.getAt(), c.getSource().name(), c.getSequence(), rawJson(c.getPatch()), c.getOpCount(),
          c.getPatchBytes(), c.getDocumentBytes(), c.getPreviousHash(), c.getNewHash());
    }
  }

  record ExecutionView(long entry, String kind, long sequence, Instant at, String url, int httpStatus, boolean conditional,
                       long latencyMs, TimingsView timings, int redirects, List<HeaderView> requestHeaders,
                       List<HeaderView> responseHeaders, long headerBytes, long wireBodyBytes, long bodyBytes,
                       String contentType, boolean changed, boolean json, ErrorView error, String contentHash,
                       String connectionId, String eventId, long connectionEvents, long connectionBytes,
                       long connectionMs, String detail) {
    static ExecutionView of(Execution e) {
      return new ExecutionView(e.getEntry(), e.getKind().name(), e.getSequence(), instant(e.getAt()), e.getUrl(),
          e.getHttpStatus(), e.getConditional(), e.getLatencyMs(), TimingsView.of(e.getTimings()), e.getRedirects(),
          HeaderView.of(e.getRequestHeaders()), HeaderView.of(e.getResponseHeaders()), e.getHeaderBytes(),
          e.getWireBodyBytes(), e.getBodyBytes(), e.getContentType(), e.getChanged(), e.getJson(),
          ErrorView.of(e.getError()), e.getContentHash(), e.getConnectionId(), e.getEventId(), e.getConnectionEvents(),
          e.getConnectionBytes(), e.getConnectionMs(), e.getDetail());
    }
  }

  /** Where a request's time went, in milliseconds; -1 for a phase that did not happen. */
  record TimingsView(long dnsMs, long connectMs, long tlsMs, long firstByteMs, long downloadMs) {
    static TimingsView of(PhaseTimings t) {
      return t == null ? null : new TimingsView(t.getDnsMs(), t.getConnectMs(), t.getTlsMs(), t.getFirstByteMs(),
          t.getDownloadMs());
    }
  }

  record HeaderView(String name, String value) {
    static List<HeaderView> of(List<HttpHeader> headers) {
      return headers.stream().map(h -> new HeaderView(h.getName(), h.getValue())).toList();
    }
  }

  /** An epoch-milliseconds field of a store value (plain longs there: see ApiStatus.avsc) as a time. */
  private static Instant instant(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
  }

  /** Embeds already-serialized JSON (a patch) as JSON, not as a string. */
  private static Object rawJson(String json) {
    return json == null ? null : new RawValue(json);
  }

  record RegistrationView(String apiId, String url, String mode, long pollIntervalMs, Map<String, String> headers,
                          String jsonPointer, String desiredState, List<String> notifyWebhooks, boolean alertOnChange,
                          long version, Instant createdAt, Instant updatedAt, List<String> notifyChannels,
                          List<String> ignore, List<String> select, List<String> unorderedArrays, Map<String, String> arrayKeys,

                          List<AlertRules.RuleRequest> rules,
                          List<AlertRules.TimeRangeRequest> silences,
                          AlertRules.ScheduleRequest schedule) {

    static RegistrationView of(Registration r) {
      return new RegistrationView(r.getApiId(), r.getUrl(), r.getMode().name(), r.getPollIntervalMs(),
          redacted(r.getHeaders()), r.getJsonPointer(), r.getDesiredState().name(),
          Redaction.webhooks(r.getNotifyWebhooks()),
          r.getAlertOnChange(), r.getVersion(), r.getCreatedAt(), r.getUpdatedAt(), r.getNotifyChannels(),
          r.getIgnore(), r.getSelect(), r.getUnorderedArrays(), r.getArrayKeys(),
          AlertRules.rules(r), AlertRules.silences(r),
          AlertRules.schedule(r));
    }
  }

  /** A list entry with its analysed status ({@code GET /apis?include=status}); status is null until analysed. */
  record ListedApi(@JsonUnwrapped RegistrationView registration, StatusView status) {}

  /** Secret references (${env:NAME}) are shown as written; literal values of sensitive headers are not. */
  static Map<String, String> redacted(Map<String, String> headers) {
    return Redaction.redacted(headers);
  }
}
