package io.seismo.ingest.produce;

import io.seismo.ingest.sse.SseEventSink;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes raw events, keyed by apiId: idempotent, acks=all, zstd-compressed, batched. Send failures
 * are counted and logged with the apiId; they never block or kill a job.
 */
public final class RawEventProducer implements SseEventSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RawEventProducer.class);

  private final KafkaProducer<String, byte[]> producer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public RawEventProducer(String bootstrapServers, Properties overrides) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "seismo-ingest-producer");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    props.putAll(overrides);
    this.producer = new KafkaProducer<>(props, Topics.RAW_POLLS.keySerde().serializer(), new ByteArraySerializer());
  }

  public void send(PollResult result) {
    // event time: the record timestamp is when the request was made, so replays can start "from" a time
    send(Topics.RAW_POLLS.name(), result.getApiId(), result.getRequestedAt().toEpochMilli(),
        Topics.RAW_POLLS.valueSerde().serializer().serialize(Topics.RAW_POLLS.name(), result), result.getSequence());
  }

  @Override
  public void send(SseEvent event) {
    send(Topics.RAW_SSE.name(), event.getApiId(), event.getReceivedAt().toEpochMilli(),
        Topics.RAW_SSE.valueSerde().serializer().serialize(Topics.RAW_SSE.name(), event), -1);
  }

  private void send(String topic, String apiId, long timestamp, byte[] value, long sequence) {
    producer.send(new ProducerRecord<>(topic, null, timestamp, apiId, value), (metadata, error) -> {
      if (error == null) {
        sent.incrementAndGet();
      } else {
        failed.incrementAndGet();
        log.error("raw event not delivered topic={} apiId={} sequence={} error={}", topic, apiId, sequence,
            error.toString());
      }
    });
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
