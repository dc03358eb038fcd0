package io.seismo.topology.processor;

import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Execution;
import io.seismo.schemas.ExecutionKind;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.store.RingKeys;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An API's execution log: one entry per poll (request and response headers, phase timings, sizes,
 * outcome) and per stream connection event (open, close, error, heartbeat gap, with what the
 * connection carried), numbered by the API's status ({@code logEntries}) and kept in a ring of the
 * {@link RingKeys#EXECUTIONS} most recent.
 */
final class ExecutionLog {

  private KeyValueStore<String, Execution> store;

  void init(KeyValueStore<String, Execution> store) {
    this.store = store;
  }

  void poll(String apiId, ApiStatus status, PollResult poll, Registration registration,
            DocumentAnalyzer.Analysis analysis) {
    append(apiId, status, Execution.newBuilder()
        .setKind(ExecutionKind.POLL)
        .setSequence(poll.getSequence())
        .setAt(poll.getRequestedAt().toEpochMilli())
        .setUrl(registration == null ? null : registration.getUrl())
        .setConditional(poll.getNotModified())
        .setHttpStatus(poll.getHttpStatus())
        .setLatencyMs(poll.getLatencyMs())
        .setHeaderBytes(poll.getHeaderBytes())
        .setWireBodyBytes(poll.getWireBodyBytes())
        .setBodyBytes(poll.getBodyBytes())
        .setContentType(poll.getContentType())
        .setChanged(analysis != null && analysis.changed())
        .setJson(analysis == null || analysis.json())
        .setError(poll.getNotModified() ? null : poll.getError())
        .setContentHash(analysis == null ? null : analysis.hash())
        .setRequestHeaders(poll.getRequestHeaders())
        .setResponseHeaders(poll.getResponseHeaders())
        .setTimings(poll.getTimings())
        .setRedirects(poll.getRedirects()));
  }

  /** Logs a stream's connection event; other events (the data itself) are samples, not log entries. */
  void streamEvent(String apiId, ApiStatus status, SseEvent event, Registration registration) {
    kindOf(event.getKind()).ifPresent(kind -> append(apiId, status, Execution.newBuilder()
        .setKind(kind)
        .setSequence(0)
        .setAt(event.getReceivedAt().toEpochMilli())
        .setUrl(registration == null ? null : registration.getUrl())
        .setHttpStatus(event.getHttpStatus())
        .setResponseHeaders(event.getResponseHeaders())
        .setError(event.getError())
        .setConnectionId(event.getConnectionId())
        .setEventId(event.getEventId())
        .setConnectionEvents(event.getConnectionEvents())
        .setConnectionBytes(event.getConnectionBytes())
        .setConnectionMs(event.getConnectionMs())
        .setDetail(event.getData())));
  }

  static boolean isLogged(SseEventKind kind) {
    return kindOf(kind).isPresent();
  }

  private static Optional<ExecutionKind> kindOf(SseEventKind kind) {
    return switch (kind) {
      case OPEN -> Optional.of(ExecutionKind.SSE_OPEN);
      case CLOSE -> Optional.of(ExecutionKind.SSE_CLOSE);
      case ERROR -> Optional.of(ExecutionKind.SSE_ERROR);
      case HEARTBEAT_GAP -> Optional.of(ExecutionKind.SSE_HEARTBEAT_GAP);
      case EVENT, UNKNOWN -> Optional.empty();
    };
  }

  private void append(String apiId, ApiStatus status, Execution.Builder entry) {
    long n = status.getLogEntries() + 1;
    status.setLogEntries(n);
    store.put(RingKeys.EXECUTIONS.key(apiId, n), entry.setEntry(n).build());
  }
}
