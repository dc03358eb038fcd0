package io.seismo.topology;

import io.seismo.schemas.topic.Topics;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.errors.ContextLoggingDeserializationHandler;
import io.seismo.topology.errors.ContextLoggingProcessingHandler;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Seismo topology: exactly-once v2, undecodable and unprocessable records to
 * {@code seismo.dlq} (Kafka's dead-letter headers carry the reason), and a stream thread that dies of
 * anything else is replaced, never left dead.
 */
public final class TopologyService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopologyService.class);

  private final KafkaStreams streams;

  private TopologyService(KafkaStreams streams) {
    this.streams = streams;
  }

  public static Properties streamsProperties(TopologyConfig config) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, ContextLoggingDeserializationHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ContextLoggingProcessingHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ.name());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 8 * 1024 * 1024);
    // the changelogs take what the raw topics take: a document of up to SEISMO_INGEST_MAX_BODY_BYTES goes to
    // the documents store's changelog, and the broker's default limit (1 MiB) would fail the task on every retry
    props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(8 * 1024 * 1024));
    config.applicationServer().ifPresent(server -> props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server));
    props.putAll(config.kafka());
    return props;
  }

  public static TopologyService start(TopologyConfig config) {
    KafkaStreams streams = new KafkaStreams(SeismoTopology.build(config), streamsProperties(config));
    streams.setUncaughtExceptionHandler(error -> {
      log.error("stream thread died; replacing it error={}", error.toString(), error);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((now, before) -> log.info("streams state {} -> {}", before, now));
    streams.start();
    log.info("topology started applicationId={} bootstrap={} server={}", config.applicationId(),
        config.bootstrapServers(), config.applicationServer().orElse("-"));
    return new TopologyService(streams);
  }

  public KafkaStreams streams() {
    return streams;
  }

  @Override
  public void close() {
    // leave the group: the partitions move to the other instances (or to this one after a restart) at once,
    // instead of after the session timeout
    streams.close(CloseOptions.timeout(Duration.ofSeconds(15))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    log.info("topology stopped");
  }
}
