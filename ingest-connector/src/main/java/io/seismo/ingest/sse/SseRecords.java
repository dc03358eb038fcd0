package io.seismo.ingest.sse;

import io.seismo.ingest.net.Failures;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import okhttp3.Response;

/** Maps what one API's event stream delivers, and how it fails, to {@link SseEvent} records. */
final class SseRecords {

  private final String apiId;
  private final Clock clock;

  SseRecords(String apiId, Clock clock) {
    this.apiId = apiId;
    this.clock = clock;
  }

  SseEvent.Builder record(String connectionId, SseEventKind kind, String type, String id, String data, long bytes,
                          SampleError error) {
    return SseEvent.newBuilder()
        .setApiId(apiId)
        .setConnectionId(connectionId)
        .setKind(kind)
        .setEventType(type)
        .setEventId(id)
        .setData(data)
        .setBytes(bytes)
        .setReceivedAt(clock.instant())
        .setError(error);
  }

  /** An event as received; a missing type is the default {@code message}. */
  SseEvent event(String connectionId, String eventId, String type, String data, long size) {
    String eventType = type == null ? "message" : type;
    return record(connectionId, SseEventKind.EVENT, eventType, eventId, data, size, null).build();
  }

  /** Why a connection failed, from what okhttp-sse reports. */
  static SampleError failure(Throwable error, Response response) {
    if (response != null && !response.isSuccessful()) {
      return new SampleError(ErrorCategory.HTTP_STATUS, "HTTP " + response.code() + " on the event stream");
    } else if (response != null && error instanceof IllegalStateException) {
      return new SampleError(ErrorCategory.PROTOCOL, "not an event stream: Content-Type "
          + response.header("Content-Type"));
    } else if (error != null) {
      return Failures.sampleError(error);
    }
    return new SampleError(ErrorCategory.PROTOCOL, "the event stream failed");
  }

  /** Size of the event as framed on the wire: "id: …\nevent: …\ndata: …\n" per data line, "\n". */
  static long framedSize(String id, String type, String data) {
    long size = 1;
    if (id != null) {
      size += 5 + id.getBytes(StandardCharsets.UTF_8).length;
    }
    if (type != null) {
      size += 8 + type.getBytes(StandardCharsets.UTF_8).length;
    }
    if (data != null) {
      for (String line : data.split("\n", -1)) {
        size += 7 + line.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return size;
  }
}
