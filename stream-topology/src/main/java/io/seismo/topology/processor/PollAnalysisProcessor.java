package io.seismo.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Source;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.ContentHash;
import io.seismo.topology.analysis.JsonPatchDiff;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Analyses each poll of an API: counts samples, bytes and errors; compares the canonical document
 * with the last one by hash (fast path: no diff when unchanged); emits a {@link Change} with an
 * RFC 6902 patch when it changed; keeps {@link ApiStatus} current and emits it; raises alerts on
 * FAILING, STALLED and RECOVERED transitions. A wall-clock punctuator marks APIs STALLED when no
 * sample arrived within k × their interval.
 */
public final class PollAnalysisProcessor implements Processor<String, PollResult, String, Object> {

  private final TopologyConfig config;
  private final JsonPatchDiff differ;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, ApiStatus> statuses;
  private KeyValueStore<String, byte[]> documents;

  public PollAnalysisProcessor(TopologyConfig config) {
    this.config = config;
    this.differ = new JsonPatchDiff(config.arrayDiffBudget());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.statuses = context.getStateStore(StoreNames.STATUS);
    this.documents = context.getStateStore(StoreNames.DOCUMENTS);
    context.schedule(config.stallCheck(), PunctuationType.WALL_CLOCK_TIME, this::detectStalls);
  }

  @Override
  public void process(Record<String, PollResult> record) {
    String apiId = record.key();
    PollResult poll = record.value();
    if (apiId == null || poll == null) {
      return;
    }
    ApiStatus status = Optional.ofNullable(statuses.get(apiId)).orElseGet(() -> Statuses.pending(apiId, 0));
    ApiState before = status.getState();
    Instant at = poll.getRequestedAt();

    status.setSamples(status.getSamples() + 1);
    status.setLastSampleAt(at);
    status.setLastHttpStatus(poll.getHttpStatus());
    status.setLastLatencyMs(poll.getLatencyMs());
    status.setTotalWireBytes(status.getTotalWireBytes() + poll.getHeaderBytes() + poll.getWireBodyBytes());
    status.setUpdatedAt(at);

    boolean failed = poll.getError() != null && !poll.getNotModified();
    if (failed) {
      recordFailure(status, poll.getError());
    } else {
      status.setConsecutiveFailures(0);
      if (poll.getNotModified()) {
        status.setNotModified(status.getNotModified() + 1);
      } else {
        analysePayload(apiId, poll, status, record.timestamp());
      }
    }

    if (before != ApiState.STOPPED) {
      status.setState(nextState(before, failed, status.getConsecutiveFailures()));
    }
    alertOnTransition(apiId, before, status, record.timestamp());
    statuses.put(apiId, status);
    context.forward(new Record<>(apiId, (Object) status, record.timestamp()), Sinks.STATUS);
  }

  /** A success makes an API RUNNING; N consecutive failures make it FAILING; fewer leave it as it was. */
  private ApiState nextState(ApiState before, boolean failed, int consecutiveFailures) {
    if (!failed) {
      return ApiState.RUNNING;
    }
    if (consecutiveFailures >= config.failingAfter()) {
      return ApiState.FAILING;
    }
    return before == ApiState.PENDING || before == ApiState.STALLED ? ApiState.RUNNING : before;
  }

  private void recordFailure(ApiStatus status, SampleError error) {
    status.setErrors(status.getErrors() + 1);
    status.setConsecutiveFailures(status.getConsecutiveFailures() + 1);
    status.setLastError(error);
  }

  private void analysePayload(String apiId, PollResult poll, ApiStatus status, long timestamp) {
    byte[] body = bytes(poll.getBody());
    status.setLastPayloadBytes(poll.getBodyBytes());
    status.setTotalPayloadBytes(status.getTotalPayloadBytes() + poll.getBodyBytes());

    Optional<JsonNode> document = CanonicalJson.parse(body);
    byte[] canonical = document.map(CanonicalJson::bytes).orElse(body);
    String hash = ContentHash.of(canonical);
    String previousHash = status.getLastContentHash();
    if (hash.equals(previousHash)) {
      return; // fast path: unchanged, no diff
    }
    byte[] previousDocument = documents.get(apiId);
    if (document.isPresent()) {
      documents.put(apiId, canonical);
    } else if (previousDocument != null) {
      documents.delete(apiId);
    }
    status.setLastContentHash(hash);
    if (previousHash == null) {
      return; // the first document is a baseline, not a change
    }
    status.setChanges(status.getChanges() + 1);
    status.setLastChangeAt(poll.getRequestedAt());

    Change.Builder change = Change.newBuilder()
        .setApiId(apiId)
        .setSource(Source.POLL)
        .setAt(poll.getRequestedAt())
        .setSequence(poll.getSequence())
        .setDocumentBytes(canonical.length)
        .setPreviousHash(previousHash)
        .setNewHash(hash);
    Optional<JsonNode> previous = previousDocument == null ? Optional.empty() : CanonicalJson.parse(previousDocument);
    if (previous.isPresent() && document.isPresent()) {
      ArrayNode patch = differ.diff(previous.get(), document.get());
      String patchText = CanonicalJson.text(patch);
      change.setPatch(patchText).setOpCount(patch.size())
          .setPatchBytes(patchText.getBytes(StandardCharsets.UTF_8).length);
    }
    context.forward(new Record<>(apiId, (Object) change.build(), timestamp), Sinks.CHANGES);
  }

  private void alertOnTransition(String apiId, ApiState before, ApiStatus status, long timestamp) {
    ApiState after = status.getState();
    if (before == after) {
      return;
    }
    if (after == ApiState.FAILING) {
      alert(apiId, AlertKind.FAILING, status.getConsecutiveFailures() + " consecutive failures, last: "
          + (status.getLastError() == null ? "unknown" : status.getLastError().getMessage()), timestamp);
    } else if (after == ApiState.RUNNING && (before == ApiState.FAILING || before == ApiState.STALLED)) {
      alert(apiId, AlertKind.RECOVERED, "recovered from " + before, timestamp);
    }
  }

  private void alert(String apiId, AlertKind kind, String detail, long timestamp) {
    Alert alert = new Alert(apiId, kind, Instant.ofEpochMilli(timestamp), detail);
    context.forward(new Record<>(apiId, (Object) alert, timestamp), Sinks.ALERTS);
  }

  /** Wall-clock check: an API that should be sampled but was not within k × its interval is STALLED. */
  private void detectStalls(long now) {
    List<KeyValue<String, ApiStatus>> stalled = new ArrayList<>();
    try (KeyValueIterator<String, ApiStatus> all = statuses.all()) {
      while (all.hasNext()) {
        KeyValue<String, ApiStatus> entry = all.next();
        ApiStatus status = entry.value;
        if (status.getState() == ApiState.STOPPED || status.getState() == ApiState.STALLED
            || status.getPollIntervalMs() <= 0) {
          continue;
        }
        Instant reference = status.getLastSampleAt() != null ? status.getLastSampleAt() : status.getUpdatedAt();
        long allowed = Math.max(status.getPollIntervalMs() * config.stallFactor(), config.stallCheck().toMillis());
        if (now - reference.toEpochMilli() > allowed) {
          stalled.add(entry);
        }
      }
    }
    for (KeyValue<String, ApiStatus> entry : stalled) {
      ApiStatus status = entry.value;
      status.setState(ApiState.STALLED);
      status.setUpdatedAt(Instant.ofEpochMilli(now));
      statuses.put(entry.key, status);
      context.forward(new Record<>(entry.key, (Object) status, now), Sinks.STATUS);
      alert(entry.key, AlertKind.STALLED, "no sample for more than " + Duration.ofMillis(
          status.getPollIntervalMs() * config.stallFactor()) + " (interval " + Duration.ofMillis(status.getPollIntervalMs()) + ")", now);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
