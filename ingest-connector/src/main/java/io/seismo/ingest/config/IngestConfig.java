package io.seismo.ingest.config;

import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.OutboundConfig;
import io.seismo.runtime.net.SecretNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything the ingest process can be told, read once at start-up. Environment variables:
 *
 * <pre>
 * SEISMO_BOOTSTRAP_SERVERS        Kafka bootstrap servers                      (localhost:9092)
 * SEISMO_INGEST_GROUP_ID          consumer group of the ingest instances        (seismo-ingest)
 * SEISMO_ALLOW_HOSTS              allowlisted hosts / CIDRs for outbound calls  (none; SEISMO_INGEST_ALLOW_HOSTS,
 *                                 its former name, still read with a warning)
 * SEISMO_SECRET_ENV_ALLOW         env names ${env:NAME} may reference (globs)   (SEISMO_SECRET_*)
 * SEISMO_INGEST_MAX_BODY_BYTES    bodies beyond this are recorded truncated     (2097152)
 * SEISMO_INGEST_CONNECT_TIMEOUT   connect timeout                               (5s)
 * SEISMO_INGEST_READ_TIMEOUT      gap between two reads                         (15s)
 * SEISMO_INGEST_CALL_TIMEOUT      whole request, redirects included             (30s)
 * SEISMO_INGEST_MAX_REDIRECTS     redirects followed per poll                   (5)
 * SEISMO_INGEST_MIN_INTERVAL      shortest poll interval accepted               (1s)
 * SEISMO_INGEST_HOST_CONCURRENCY  concurrent requests per upstream host         (4)
 * SEISMO_INGEST_IDLE_CONNECTIONS  idle keep-alive connections kept in the pool   (256)
 * SEISMO_INGEST_MAX_BACKOFF       longest wait after repeated failures          (5m)
 * SEISMO_INGEST_SHUTDOWN_TIMEOUT  bound on in-flight work at shutdown/hand-over  (10s)
 * SEISMO_INGEST_SSE_IDLE_TIMEOUT  no SSE event or comment for this long → gap   (60s)
 * SEISMO_INGEST_OUTAGE_BUFFER     raw events held while Kafka is unreachable    (64m; oldest dropped beyond)
 * SEISMO_NOTIFY_ENABLED           deliver alerts to registrations' webhooks      (true)
 * SEISMO_NOTIFY_SECRET            Standard Webhooks secret (whsec_… or text)     (none: unsigned)
 * SEISMO_NOTIFY_MAX_ATTEMPTS      delivery attempts per webhook                  (5)
 * SEISMO_NOTIFY_BACKOFF           wait before the first retry, doubled after     (1s)
 * SEISMO_NOTIFY_MAX_BACKOFF       longest wait between retries (Retry-After too)  (30s)
 * SEISMO_NOTIFY_DEADLINE          bound on one delivery, all its retries          (5m)
 * SEISMO_NOTIFY_QUEUE             deliveries waiting per endpoint; beyond: dropped (100)
 * SEISMO_NOTIFY_CHANNELS_FILE     JSON file of named channels (Slack, Teams, Discord, template, Alertmanager,
 *                                 e-mail) that registrations name in notifyChannels  (none)
 * SEISMO_INGEST_HTTP_PORT         /metrics, /health/live, /health/ready; 0: any   (8081)
 * SEISMO_KAFKA_*                  passed to the Kafka clients (SEISMO_KAFKA_SECURITY_PROTOCOL=SSL)
 * </pre>
 */
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
