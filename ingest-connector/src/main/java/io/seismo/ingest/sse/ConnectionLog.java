package io.seismo.ingest.sse;

import io.seismo.ingest.poll.LoggedHeaders;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import java.time.Duration;
import okhttp3.Response;

/** The records of one connection: its events, and the entries of its lifecycle, each ending one with what it carried. */
final class ConnectionLog {

  private final String connectionId;
  private final SseRecords records;
  private long events;          // written by OkHttp's reader thread of this connection only
  private long bytes;
  private volatile boolean opened;
  private volatile long openedNanos;

  ConnectionLog(String connectionId, SseRecords records) {
    this.connectionId = connectionId;
    this.records = records;
  }

  SseEvent opened(Response response, String lastEventId) {
    openedNanos = System.nanoTime();
    opened = true;
    return records.record(connectionId, SseEventKind.OPEN, null, lastEventId, "HTTP " + response.code()
            + (lastEventId == null ? "" : ", resuming after event " + lastEventId), 0, null)
        .setHttpStatus(response.code())
        .setResponseHeaders(LoggedHeaders.received(response.headers()))
        .build();
  }

  SseEvent event(String eventId, String type, String data) {
    long size = SseRecords.framedSize(eventId, type, data);
    events++;
    bytes += size;
    return records.event(connectionId, eventId, type, data, size);
  }

  SseEvent closed(String lastEventId) {
    return ended(records.record(connectionId, SseEventKind.CLOSE, null, lastEventId, "closed by the server", 0, null));
  }

  SseEvent failed(String lastEventId, SampleError error) {
    return ended(records.record(connectionId, SseEventKind.ERROR, null, lastEventId, error.getMessage(), 0, error));
  }

  SseEvent heartbeatGap(String lastEventId, long idleNanos, Duration idleTimeout) {
    return ended(records.record(connectionId, SseEventKind.HEARTBEAT_GAP, null, lastEventId,
        "no event or comment for " + Duration.ofNanos(idleNanos).toMillis() + " ms (idle timeout "
            + idleTimeout.toMillis() + " ms)", 0,
        new SampleError(ErrorCategory.TIMEOUT, "heartbeat gap: no data for " + idleTimeout)));
  }

  private SseEvent ended(SseEvent.Builder event) {
    long openMs = opened ? Duration.ofNanos(System.nanoTime() - openedNanos).toMillis() : 0;
    return event.setConnectionEvents(events).setConnectionBytes(bytes).setConnectionMs(openMs).build();
  }
}
