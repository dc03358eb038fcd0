package io.seismo.ingest.connect;

import io.seismo.ingest.poll.PollCheckpoint;
import io.seismo.ingest.produce.RawEventSink;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink of a task's jobs: each poll result and SSE event becomes a {@link SourceRecord} carrying its job's
 * source offset (docs/kafka-connect.md), held until the worker's next {@code poll()}, oldest dropped beyond
 * {@code maxBytes}.
 */
final class RecordQueue implements RawEventSink {

  private static final Logger log = LoggerFactory.getLogger(RecordQueue.class);
  static final String API_ID = "apiId";
  static final String KIND = "kind";
  static final String POLL = "poll";
  static final String SSE = "sse";
  static final String SEQUENCE = "sequence";
  static final String ETAG = "etag";
  static final String LAST_MODIFIED = "lastModified";
  static final String LAST_EVENT_ID = "lastEventId";
  static final String VERSION = "version";

  /** Where a poll job stands, for the registration version whose job it is. */
  record PollState(PollCheckpoint checkpoint, long version) {}

  /** Where a stream stands. */
  record SseState(String lastEventId, long version) {}

  private final long maxBytes;
  private final Deque<SourceRecord> pending = new ArrayDeque<>();
  private long pendingBytes;
  private boolean closed;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Map<String, PollState> polls = new HashMap<>();
  private final Map<String, SseState> streams = new HashMap<>();
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  RecordQueue(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  static Map<String, String> partition(String apiId, String kind) {
    return Map.of(API_ID, apiId, KIND, kind);
  }

  /** The registration version of the job now running for {@code apiId} (called before its job starts). */
  void version(String apiId, long version) {
    versions.put(apiId, version);
  }

  @Override
  public void send(PollResult result) {
    String apiId = result.getApiId();
    byte[] value = Topics.RAW_POLLS.valueSerde().serializer().serialize(Topics.RAW_POLLS.name(), result);
    synchronized (pending) {
      PollState previous = polls.get(apiId);
      long version = versions.getOrDefault(apiId, 0L);
      PollCheckpoint checkpoint = PollCheckpoint.after(previous == null ? null : previous.checkpoint(), result);
      polls.put(apiId, new PollState(checkpoint, version));
      Map<String, Object> offset = new HashMap<>();
      offset.put(SEQUENCE, checkpoint.sequence());
      putIfPresent(offset, ETAG, checkpoint.etag());
      putIfPresent(offset, LAST_MODIFIED, checkpoint.lastModified());
      offset.put(VERSION, version);
      enqueue(new SourceRecord(partition(apiId, POLL), offset, Topics.RAW_POLLS.name(), null, Schema.STRING_SCHEMA,
          apiId, Schema.BYTES_SCHEMA, value, result.getRequestedAt().toEpochMilli()), value.length);
    }
  }

  @Override
  public void send(SseEvent event) {
    String apiId = event.getApiId();
    byte[] value = Topics.RAW_SSE.valueSerde().serializer().serialize(Topics.RAW_SSE.name(), event);
    synchronized (pending) {
      SseState previous = streams.get(apiId);
      long version = versions.getOrDefault(apiId, 0L);
      String lastEventId = previous == null ? null : previous.lastEventId();
      // as the job does: an event's id (one with NUL is ignored) is where the stream resumes
      if (event.getKind() == SseEventKind.EVENT && event.getEventId() != null && event.getEventId().indexOf('\0') < 0) {
        lastEventId = event.getEventId();
      }
      streams.put(apiId, new SseState(lastEventId, version));
      Map<String, Object> offset = new HashMap<>();
      putIfPresent(offset, LAST_EVENT_ID, lastEventId);
      offset.put(VERSION, version);
      enqueue(new SourceRecord(partition(apiId, SSE), offset, Topics.RAW_SSE.name(), null, Schema.STRING_SCHEMA,
          apiId, Schema.BYTES_SCHEMA, value, event.getReceivedAt().toEpochMilli()), value.length);
    }
  }

  private static void putIfPresent(Map<String, Object> offset, String key, String value) {
    if (value != null) {
      offset.put(key, value);
    }
  }

  /** Called holding the lock. */
  private void enqueue(SourceRecord record, int bytes) {
    if (closed) {
      return; // the task is stopping: its offsets stay where the last delivered record left them
    }
    while (!pending.isEmpty() && pendingBytes + bytes > maxBytes) {
      SourceRecord oldest = pending.pollFirst();
      pendingBytes -= ((byte[]) oldest.value()).length;
      if (dropped.incrementAndGet() % 1000 == 1) {
        log.error("task buffer full ({} bytes, the worker does not take records): dropping the oldest; dropped so far={}",
            maxBytes, dropped.get());
      }
    }
    pending.addLast(record);
    pendingBytes += bytes;
    queued.incrementAndGet();
    pending.notifyAll();
  }

  /** Up to {@code max} records, waiting up to {@code waitMs} for the first; null when none came. */
  List<SourceRecord> take(int max, long waitMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    synchronized (pending) {
      while (pending.isEmpty() && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(pending, left);
      }
      if (pending.isEmpty()) {
        return null;
      }
      List<SourceRecord> batch = new ArrayList<>(Math.min(max, pending.size()));
      while (!pending.isEmpty() && batch.size() < max) {
        SourceRecord record = pending.pollFirst();
        pendingBytes -= ((byte[]) record.value()).length;
        batch.add(record);
      }
      return batch;
    }
  }

  /** The latest poll state this task knows for {@code apiId} (null: none yet). */
  PollState pollState(String apiId) {
    synchronized (pending) {
      return polls.get(apiId);
    }
  }

  SseState sseState(String apiId) {
    synchronized (pending) {
      return streams.get(apiId);
    }
  }

  void close() {
    synchronized (pending) {
      closed = true;
      pending.notifyAll();
    }
  }

  long queued() {
    return queued.get();
  }

  long dropped() {
    return dropped.get();
  }

  int size() {
    synchronized (pending) {
      return pending.size();
    }
  }

  long bytes() {
    synchronized (pending) {
      return pendingBytes;
    }
  }
}
