package io.seismo.ingest.produce;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes raw events, keyed by apiId: idempotent, acks=all, zstd-compressed, batched. Send failures
 * are counted and logged with the apiId; they never block or kill a job.
 */
public final class RawEventProducer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RawEventProducer.class);

  private final KafkaProducer<String, PollResult> producer;
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
    this.producer = new KafkaProducer<>(props, Topics.RAW_POLLS.keySerde().serializer(),
        Topics.RAW_POLLS.valueSerde().serializer());
  }

  public void send(PollResult result) {
    // event time: the record timestamp is when the request was made, so replays can start "from" a time
    ProducerRecord<String, PollResult> record = new ProducerRecord<>(Topics.RAW_POLLS.name(), null,
        result.getRequestedAt().toEpochMilli(), result.getApiId(), result);
    producer.send(record, (metadata, error) -> {
      if (error == null) {
        sent.incrementAndGet();
      } else {
        failed.incrementAndGet();
        log.error("raw poll not delivered apiId={} sequence={} error={}", result.getApiId(), result.getSequence(),
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
