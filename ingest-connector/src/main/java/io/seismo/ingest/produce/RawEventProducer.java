package io.seismo.ingest.produce;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes raw events, keyed by apiId, through a bounded outage buffer drained by one sender thread, so jobs never
 * wait for Kafka; see docs/architecture.md ("Ingest").
 */
public final class RawEventProducer implements RawEventSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RawEventProducer.class);
  private static final long RETRY_MS = 500;

  private final KafkaProducer<String, byte[]> producer;
  private final OutageBuffer pending;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread sender;
  private volatile Consumer<ProducerRecord<String, byte[]>> deliveryListener = record -> { };
  private volatile boolean outage;

  public RawEventProducer(String bootstrapServers, Properties overrides, long maxPendingBytes) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "seismo-ingest-producer");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
    // records handed to the producer are retried until delivered (idempotent: no duplicates), as Kafka
    // Streams does; what the producer cannot take yet waits in the outage buffer
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000"); // only the sender waits, and it retries
    props.putAll(overrides);
    this.producer = new KafkaProducer<>(props, Topics.RAW_POLLS.keySerde().serializer(), new ByteArraySerializer());
    this.pending = new OutageBuffer(maxPendingBytes);
    this.sender = Thread.ofPlatform().name("seismo-ingest-sender").daemon().start(this::drain);
  }

  @Override
  public void send(PollResult result) {
    // event time: the record timestamp is when the request was made, so replays can start "from" a time
    enqueue(Topics.RAW_POLLS.name(), result.getApiId(), result.getRequestedAt().toEpochMilli(),
        Topics.RAW_POLLS.valueSerde().serializer().serialize(Topics.RAW_POLLS.name(), result));
  }

  @Override
  public void send(SseEvent event) {
    enqueue(Topics.RAW_SSE.name(), event.getApiId(), event.getReceivedAt().toEpochMilli(),
        Topics.RAW_SSE.valueSerde().serializer().serialize(Topics.RAW_SSE.name(), event));
  }

  private void enqueue(String topic, String apiId, long timestamp, byte[] value) {
    if (!pending.add(new ProducerRecord<>(topic, null, timestamp, apiId, value))) {
      failed.incrementAndGet();
      log.warn("raw event not sent: ingest is stopping topic={} apiId={}", topic, apiId);
    }
  }

  /** The sender: hands records to the producer in order; a record leaves the buffer once the producer has it. */
  private void drain() {
    long waitingSince = 0;
    while (true) {
      ProducerRecord<String, byte[]> next;
      try {
        next = pending.next();
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        return; // closing and drained
      }
      try {
        // send() reports a metadata timeout through the callback, as a lost record; asking for the
        // partitions first throws it instead (and returns at once when the metadata is known)
        producer.partitionsFor(next.topic());
        producer.send(next, (metadata, error) -> delivered(next, error));
        outage = false;
        if (waitingSince != 0) {
          log.info("kafka reachable again after {} ms; delivering the buffered raw events pending={}",
              System.currentTimeMillis() - waitingSince, pendingCount());
          waitingSince = 0;
        }
        pending.remove(next);
      } catch (TimeoutException unreachable) {
        outage = true;
        if (waitingSince == 0) {
          waitingSince = System.currentTimeMillis();
          log.warn("kafka unreachable: raw events are buffered until it is back pending={} bytes={}",
              pendingCount(), pendingBytes());
        }
        if (!pause()) {
          return;
        }
      } catch (KafkaException | IllegalStateException e) {
        pending.remove(next);
        failed.incrementAndGet();
        try (MDC.MDCCloseable context = MDC.putCloseable("apiId", next.key())) {
          log.error("raw event not sent topic={} apiId={} error={}", next.topic(), next.key(), e.toString());
        }
      }
    }
  }

  private boolean pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(RETRY_MS);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void delivered(ProducerRecord<String, byte[]> record, Exception error) {
    if (error == null) {
      sent.incrementAndGet();
      deliveryListener.accept(record);
    } else {
      failed.incrementAndGet();
      try (MDC.MDCCloseable context = MDC.putCloseable("apiId", record.key())) { // the producer's I/O thread
        log.error("raw event not delivered topic={} apiId={} error={}", record.topic(), record.key(), error.toString());
      }
    }
  }

  /** Called on the producer's I/O thread for each record Kafka acknowledged (used to measure ack latency). */
  public void onDelivered(Consumer<ProducerRecord<String, byte[]>> listener) {
    this.deliveryListener = listener;
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  /** Raw events dropped because the outage buffer was full. */
  public long dropped() {
    return pending.dropped();
  }

  public int pendingCount() {
    return pending.count();
  }

  /** Bytes of the raw events waiting in the outage buffer. */
  public long pendingBytes() {
    return pending.bytes();
  }

  /** The outage buffer's bound, in bytes. */
  public long maxPendingBytes() {
    return pending.maxBytes();
  }

  /** True while the sender cannot reach Kafka (raw events are being buffered). */
  public boolean inOutage() {
    return outage;
  }

  /** The Kafka producer, for its client metrics. */
  public Producer<String, byte[]> client() {
    return producer;
  }

  /** Delivers what is buffered within {@code timeout}, then closes the producer; what is left is counted as failed. */
  public void close(Duration timeout) {
    pending.close();
    try {
      sender.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
    int left = pendingCount();
    if (left > 0) {
      failed.addAndGet(left);
      log.error("ingest stopping with {} raw events still buffered (kafka unreachable): they are lost", left);
    }
    producer.close(Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
