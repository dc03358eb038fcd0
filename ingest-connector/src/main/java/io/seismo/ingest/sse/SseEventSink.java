package io.seismo.ingest.sse;

import io.seismo.schemas.SseEvent;

/** Where SSE jobs deliver what they observe; must not block (the Kafka producer does not). */
@FunctionalInterface
public interface SseEventSink {
  void send(SseEvent event);
}
