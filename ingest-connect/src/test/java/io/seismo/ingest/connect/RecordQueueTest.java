package io.seismo.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordQueueTest {

  @Test
  void shouldCarryTheStandaloneBytesAndWhereTheJobStandsWhenAPollIsQueued() throws Exception {
    RecordQueue queue = new RecordQueue(1 << 20);
    queue.version("api", 7);
    PollResult full = poll(41, 200, "\"e1\"", false);
    PollResult notModified = poll(42, 304, null, true);

    queue.send(full);
    queue.send(notModified);
    List<SourceRecord> records = queue.take(10, 0);

    assertThat(records).hasSize(2);
    SourceRecord second = records.get(1);
    assertThat(second.topic()).isEqualTo(Topics.RAW_POLLS.name());
    assertThat(second.key()).isEqualTo("api");
    assertThat(second.timestamp()).isEqualTo(notModified.getRequestedAt().toEpochMilli());
    assertThat((byte[]) second.value())
        .isEqualTo(Topics.RAW_POLLS.valueSerde().serializer().serialize(Topics.RAW_POLLS.name(), notModified));
    assertThat(second.sourcePartition()).isEqualTo(Map.of("apiId", "api", "kind", "poll"));
    // a 304 keeps the validators of the last full answer
    assertThat(offset(second)).isEqualTo(Map.of("sequence", 42L, "etag", "\"e1\"", "version", 7L));
  }

  @Test
  void shouldResumeAfterTheLastEventIdWhenControlEventsFollowIt() throws Exception {
    RecordQueue queue = new RecordQueue(1 << 20);
    queue.send(sse(SseEventKind.OPEN, null));
    queue.send(sse(SseEventKind.EVENT, "17"));
    queue.send(sse(SseEventKind.HEARTBEAT_GAP, null));
    queue.send(sse(SseEventKind.EVENT, "bad\0id"));

    List<SourceRecord> records = queue.take(10, 0);

    assertThat(offset(records.getFirst())).doesNotContainKey("lastEventId");
    assertThat(offset(records.getLast())).containsEntry("lastEventId", "17");
    assertThat(records.getLast().topic()).isEqualTo(Topics.RAW_SSE.name());
  }

  @Test
  void shouldDropTheOldestAndCountThemWhenTheWorkerDoesNotTakeRecords() throws Exception {
    PollResult poll = poll(1, 200, null, false);
    int size = Topics.RAW_POLLS.valueSerde().serializer().serialize(Topics.RAW_POLLS.name(), poll).length;
    RecordQueue queue = new RecordQueue(size * 2L);

    for (int sequence = 1; sequence <= 5; sequence++) {
      queue.send(poll(sequence, 200, null, false));
    }

    assertThat(queue.dropped()).isEqualTo(3);
    assertThat(queue.take(10, 0)).extracting(r -> offset(r).get("sequence")).containsExactly(4L, 5L);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> offset(SourceRecord record) {
    return (Map<String, Object>) record.sourceOffset();
  }

  private static PollResult poll(long sequence, int status, String etag, boolean notModified) {
    return PollResult.newBuilder().setApiId("api").setSequence(sequence).setRequestedAt(Instant.ofEpochMilli(1_000 + sequence))
        .setLatencyMs(3).setHttpStatus(status).setEtag(etag).setNotModified(notModified).build();
  }

  private static SseEvent sse(SseEventKind kind, String id) {
    return SseEvent.newBuilder().setApiId("api").setConnectionId("c1").setKind(kind).setEventId(id)
        .setReceivedAt(Instant.EPOCH).build();
  }
}
