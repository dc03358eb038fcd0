package io.seismo.ingest.config;

import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.OutboundConfig;
import io.seismo.runtime.net.SecretNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** Everything the ingest process can be told, read once at start-up from the settings listed in the README. */
public record IngestConfig(
    String bootstrapServers,
    String groupId,
    List<String> allowHosts,
    SecretNames secretNames,
    long maxBodyBytes,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    int maxRedirects,
    Duration minInterval,
    int hostConcurrency,
    int idleConnections,
    Duration maxBackoff,
    Duration shutdownTimeout,
    Duration sseIdleTimeout,
    long outageBufferBytes,
    boolean notifyEnabled,
    Optional<String> notifySecret,
    int notifyMaxAttempts,
    Duration notifyBackoff,
    Duration notifyMaxBackoff,
    Duration notifyDeadline,
    int notifyQueue,
    int httpPort,
    Properties kafka,
    Optional<Path> notifyChannelsFile) {

  public IngestConfig {
    allowHosts = List.copyOf(allowHosts);
    Properties copy = new Properties();
    copy.putAll(kafka);
    kafka = copy;
  }

  public static IngestConfig from(Settings settings) {
    return new IngestConfig(
        settings.string("SEISMO_BOOTSTRAP_SERVERS", "localhost:9092"),
        settings.string("SEISMO_INGEST_GROUP_ID", "seismo-ingest"),
        OutboundConfig.allowHosts(settings),
        OutboundConfig.secretNames(settings),
        settings.bytes("SEISMO_INGEST_MAX_BODY_BYTES", 2 * 1024 * 1024, 1024),
        settings.duration("SEISMO_INGEST_CONNECT_TIMEOUT", Duration.ofSeconds(5)),
        settings.duration("SEISMO_INGEST_READ_TIMEOUT", Duration.ofSeconds(15)),
        settings.duration("SEISMO_INGEST_CALL_TIMEOUT", Duration.ofSeconds(30)),
        settings.integer("SEISMO_INGEST_MAX_REDIRECTS", 5, 0, 20),
        settings.duration("SEISMO_INGEST_MIN_INTERVAL", Duration.ofSeconds(1)),
        settings.integer("SEISMO_INGEST_HOST_CONCURRENCY", 4, 1, 1024),
        settings.integer("SEISMO_INGEST_IDLE_CONNECTIONS", 256, 1, 100_000),
        settings.duration("SEISMO_INGEST_MAX_BACKOFF", Duration.ofMinutes(5)),
        settings.duration("SEISMO_INGEST_SHUTDOWN_TIMEOUT", Duration.ofSeconds(10)),
        settings.duration("SEISMO_INGEST_SSE_IDLE_TIMEOUT", Duration.ofSeconds(60)),
        settings.bytes("SEISMO_INGEST_OUTAGE_BUFFER", 64L * 1024 * 1024, 1024 * 1024),
        settings.bool("SEISMO_NOTIFY_ENABLED", true),
        Optional.ofNullable(settings.string("SEISMO_NOTIFY_SECRET", null)),
        settings.integer("SEISMO_NOTIFY_MAX_ATTEMPTS", 5, 1, 20),
        settings.duration("SEISMO_NOTIFY_BACKOFF", Duration.ofSeconds(1)),
        settings.duration("SEISMO_NOTIFY_MAX_BACKOFF", Duration.ofSeconds(30)),
        settings.duration("SEISMO_NOTIFY_DEADLINE", Duration.ofMinutes(5)),
        settings.integer("SEISMO_NOTIFY_QUEUE", 100, 1, 100_000),
        settings.integer("SEISMO_INGEST_HTTP_PORT", 8081, 0, 65535),
        settings.kafkaOverrides(),
        Optional.ofNullable(settings.string("SEISMO_NOTIFY_CHANNELS_FILE", null)).map(Path::of));
  }
}
