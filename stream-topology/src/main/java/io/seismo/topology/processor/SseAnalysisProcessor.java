package io.seismo.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.CompatibilityFlags;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.Measured;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Sightings;
import io.seismo.schemas.Source;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.analysis.Freshness;
import io.seismo.topology.analysis.MeasuredSums;
import io.seismo.topology.analysis.TransferCost;
import io.seismo.topology.config.TopologyConfig;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Analyses Server-Sent Events the way polls are analysed, so SSE and polled sources compare; the mapping of
 * events to samples is in docs/architecture.md.
 */
final class SseAnalysisProcessor extends AnalysisProcessor<SseEvent> {

  /** RFC 6902 as written: removing a member that is not there is an error, not a no-op. */
  private static final EnumSet<CompatibilityFlags> STRICT = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

  SseAnalysisProcessor(TopologyConfig config, Tables tables) {
    super(config, tables);
  }

  @Override
  public void process(Record<String, SseEvent> record) {
    String apiId = record.key();
    SseEvent event = record.value();
    if (apiId == null || event == null || event.getKind() == SseEventKind.UNKNOWN) {
      return;
    }
    Registration registration = registrations.get(apiId);
    ApiStatus status = statuses.statusOf(apiId);
    log.streamEvent(apiId, status, event, registration);
    if (event.getKind() == SseEventKind.OPEN || event.getKind() == SseEventKind.CLOSE) {
      statuses.keep(apiId, status); // a log entry, not a sample
      return;
    }
    if (observedBothWays(registration)) {
      alongsidePolling(apiId, event, registration, status, record.timestamp());
      return;
    }
    ApiState before = status.getState();
    Optional<SampleError> error = errorOf(event);
    DocumentAnalyzer.Analysis analysis = null;
    if (error.isEmpty() && isDocumentEvent(event)) {
      Optional<byte[]> document = nextDocument(apiId, event);
      if (document.isEmpty()) {
        error = Optional.of(new SampleError(ErrorCategory.PATCH, "patch event " + event.getEventId()
            + " does not apply to the stream's document; waiting for the next snapshot"));
      } else {
        documents.keepStreamDocument(apiId, document.get());
        analysis = comparer.analyze(apiId, document.get(), registration, status);
      }
    }

    Long changeInterval = null;
    if (error.isPresent()) {
      StatusMachine.recordFailure(status, error.get());
    } else {
      StatusMachine.recordSuccess(status);
      changeInterval = payload(apiId, Source.SSE, 0, event.getReceivedAt(), analysis, event.getBytes(), status,
          registration, record.timestamp());
    }
    sampled(apiId, registration, before, status, new Sample(event.getReceivedAt().toEpochMilli(), error.orElse(null),
        error.isEmpty(), false, analysis, event.getBytes(), null, changeInterval,
        new TransferCost.Cost(0, 0, event.getBytes()), received(event)), record.timestamp());
  }

  /** What the stream delivered, measured: an event's bytes (lifecycle records carry none). */
  private static Measured received(SseEvent event) {
    return Measured.newBuilder().setStreamBytes(event.getBytes())
        .setStreamEvents(event.getKind() == SseEventKind.EVENT ? 1 : 0).build();
  }

  /**
   * Mode BOTH: polling is the API's series (status, document, changes, windows); the stream is measured
   * beside it. Its document is kept apart ({@code <apiId>#sse}), each new version it delivers is matched
   * with polling's ({@link Freshness}), and its bytes, events and failures are counted, not sampled.
   */
  private void alongsidePolling(String apiId, SseEvent event, Registration registration, ApiStatus status,
                                long timestamp) {
    Measured measured = received(event);
    long at = event.getReceivedAt().toEpochMilli();
    if (errorOf(event).isPresent()) {
      measured.setStreamErrors(1);
    } else if (isDocumentEvent(event)) {
      Optional<byte[]> document = nextDocument(apiId, event);
      if (document.isEmpty()) {
        measured.setStreamErrors(1); // a patch that does not apply: the next snapshot heals it
      } else {
        documents.keepStreamDocument(apiId, document.get());
        String version = comparer.versionOf(apiId, document.get(), registration);
        Sightings sightings = documents.sightingsOf(apiId);
        if (!version.equals(sightings.getStreamHash())) {
          Freshness.see(sightings, measured, Source.SSE, version, at, sightings.getStreamHash() == null);
          sightings.setStreamHash(version);
          documents.keepSightings(apiId, sightings);
        }
      }
    }
    status.setMeasured(MeasuredSums.plus(status.getMeasured(), measured));
    statuses.keep(apiId, status);
    windows.add(apiId, at, null, measured, timestamp);
  }

  private static boolean isDocumentEvent(SseEvent event) {
    return event.getKind() == SseEventKind.EVENT && switch (type(event)) {
      case "data", "snapshot", "patch" -> true;
      default -> false;
    };
  }

  private static String type(SseEvent event) {
    return event.getEventType() == null ? "message" : event.getEventType().toLowerCase(Locale.ROOT);
  }

  private static Optional<SampleError> errorOf(SseEvent event) {
    if (event.getKind() == SseEventKind.ERROR || event.getKind() == SseEventKind.HEARTBEAT_GAP) {
      return Optional.of(event.getError() != null ? event.getError()
          : new SampleError(ErrorCategory.PROTOCOL, String.valueOf(event.getData())));
    }
    if (event.getKind() == SseEventKind.EVENT && type(event).equals("error")) {
      String detail = event.getData() == null ? "" : event.getData();
      return Optional.of(new SampleError(ErrorCategory.PROTOCOL, "error event from the stream: "
          + (detail.length() > 500 ? detail.substring(0, 500) + "…" : detail)));
    }
    return Optional.empty();
  }

  /** The stream's full document after this event, or empty when a patch does not apply. */
  private Optional<byte[]> nextDocument(String apiId, SseEvent event) {
    byte[] data = event.getData() == null ? new byte[0] : event.getData().getBytes(StandardCharsets.UTF_8);
    if (!type(event).equals("patch")) {
      return Optional.of(data);
    }
    byte[] current = documents.streamDocument(apiId);
    Optional<JsonNode> document = current == null ? Optional.empty() : CanonicalJson.parse(current);
    Optional<JsonNode> patch = CanonicalJson.parse(data);
    if (document.isEmpty() || patch.isEmpty() || !patch.get().isArray()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CanonicalJson.bytes(JsonPatch.apply(patch.get(), document.get(), STRICT)));
    } catch (JsonPatchApplicationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
