package io.seismo.ingest.produce;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The raw records waiting for the producer, in order and bounded in bytes: beyond the bound the oldest are dropped. */
final class OutageBuffer {

  private static final Logger log = LoggerFactory.getLogger(RawEventProducer.class);

  private final long maxBytes;
  private final Deque<ProducerRecord<String, byte[]>> records = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private long bytes;
  private boolean closing;

  OutageBuffer(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Adds the record after the others, dropping the oldest to make room; false, and nothing added, once closing. */
  boolean add(ProducerRecord<String, byte[]> record) {
    synchronized (records) {
      if (closing) {
        return false;
      }
      int size = record.value().length;
      while (!records.isEmpty() && bytes + size > maxBytes) {
        ProducerRecord<String, byte[]> oldest = records.pollFirst();
        bytes -= oldest.value().length;
        if (dropped.incrementAndGet() % 1000 == 1) {
          log.error("outage buffer full ({} bytes): dropping the oldest raw events; dropped so far={} apiId={}",
              maxBytes, dropped.get(), oldest.key());
        }
      }
      records.addLast(record);
      bytes += size;
      records.notifyAll();
      return true;
    }
  }

  /** The oldest record, left in the buffer, once there is one; null once closing and empty. */
  ProducerRecord<String, byte[]> next() throws InterruptedException {
    synchronized (records) {
      while (records.isEmpty() && !closing) {
        records.wait();
      }
      return records.peekFirst();
    }
  }

  /** Removes the record if it is still the oldest (it may have been dropped for space meanwhile). */
  void remove(ProducerRecord<String, byte[]> record) {
    synchronized (records) {
      if (records.peekFirst() == record) {
        records.pollFirst();
        bytes -= record.value().length;
      }
    }
  }

  /** Takes no more records; {@link #next} returns null once the buffer is empty. */
  void close() {
    synchronized (records) {
      closing = true;
      records.notifyAll();
    }
  }

  int count() {
    synchronized (records) {
      return records.size();
    }
  }

  long bytes() {
    synchronized (records) {
      return bytes;
    }
  }

  long maxBytes() {
    return maxBytes;
  }

  long dropped() {
    return dropped.get();
  }
}
