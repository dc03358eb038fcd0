package io.seismo.ingest.produce;

import io.seismo.ingest.sse.SseEventSink;
import io.seismo.schemas.PollResult;

/**
 * Where the poll and SSE jobs deliver what they observe: the standalone ingest's {@link RawEventProducer},
 * or a Kafka Connect task that hands the records to its worker. Must not block.
 */
public interface RawEventSink extends SseEventSink {
  void send(PollResult result);
}
