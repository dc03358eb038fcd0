package io.seismo.system;

import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;

/** Reads the raw topics into {@link Verifier.Raw} per API, counting every sample seen twice. */
final class RawTopics {

  private RawTopics() {}

  /** Reads the raw polls and SSE events once (they no longer change when the ingest processes are stopped). */
  static Map<String, Verifier.Raw> read(TopicReader reader) {
    Map<String, Verifier.Raw> raw = new HashMap<>();
    reader.readTopic(Topics.RAW_POLLS, (key, poll) -> {
      Verifier.Raw r = raw.computeIfAbsent(poll.getApiId(), k -> new Verifier.Raw());
      long at = poll.getRequestedAt().toEpochMilli();
      if (r.pollTimes.putIfAbsent(poll.getSequence(), at) != null) {
        r.duplicates++;
      } else {
        r.sampleTimes.add(at);
      }
    });
    reader.readTopic(Topics.RAW_SSE, (key, event) -> {
      if (event.getKind() != SseEventKind.EVENT && event.getKind() != SseEventKind.ERROR
          && event.getKind() != SseEventKind.HEARTBEAT_GAP) {
        return; // OPEN, CLOSE: connection lifecycle, not samples
      }
      Verifier.Raw r = raw.computeIfAbsent(event.getApiId(), k -> new Verifier.Raw());
      String identity = event.getConnectionId() + "|" + event.getKind() + "|" + event.getEventId() + "|"
          + event.getReceivedAt().toEpochMilli() + "|" + event.getBytes();
      if (!r.sseKeys.add(identity)) {
        r.duplicates++;
      } else {
        r.sampleTimes.add(event.getReceivedAt().toEpochMilli());
      }
    });
    return raw;
  }
}
