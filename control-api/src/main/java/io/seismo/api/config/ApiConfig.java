package io.seismo.api.config;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.net.SecretNames;
import io.seismo.schemas.config.Settings;
import io.seismo.topology.config.TopologyConfig;
import java.util.List;
import java.util.Properties;

/**
 * Configuration of the control API (and of the topology instance it embeds). Environment variables:
 *
 * <pre>
 * SEISMO_BOOTSTRAP_SERVERS       Kafka bootstrap servers                                (localhost:9092)
 * SEISMO_API_PORT                HTTP port; 0 picks a free one                          (8080)
 * SEISMO_API_ADVERTISED_HOST     host other instances use to reach this one             (localhost)
 * SEISMO_API_WRITE_TOKENS        bearer tokens allowed to write (comma-separated)       (required)
 * SEISMO_API_READ_TOKENS         bearer tokens allowed to read; empty: reads are open   (empty)
 * SEISMO_API_MAX_REQUEST_BYTES   largest accepted request body                          (65536)
 * SEISMO_API_MIN_POLL_INTERVAL   shortest pollIntervalMs accepted                       (1000)
 * SEISMO_API_METRICS_MAX_APIS    per-API Prometheus meters kept per instance            (500)
 * SEISMO_API_RATE_LIMIT          requests per second per token (or client address)      (20)
 * SEISMO_API_RATE_BURST          requests a caller may burst above the rate             (100)
 * SEISMO_API_STREAM_HEARTBEAT    heartbeat comment interval on /apis/{id}/stream         (15s)
 * SEISMO_INGEST_ALLOW_HOSTS      the outbound allowlist, also applied to registered URLs (none)
 * SEISMO_SECRET_ENV_ALLOW        env names ${env:NAME} may reference (globs, as ingest)  (SEISMO_SECRET_*)
 * SEISMO_TOPOLOGY_*              the embedded topology, see TopologyConfig
 * SEISMO_KAFKA_*                 passed to the Kafka clients
 * </pre>
 */
public record ApiConfig(
    String bootstrapServers,
    int port,
    String advertisedHost,
    List<String> writeTokens,
    List<String> readTokens,
    long maxRequestBytes,
    long minPollIntervalMs,
    int metricsMaxApis,
    int rateLimitPerSecond,
    int rateLimitBurst,
    java.time.Duration streamHeartbeat,
    List<String> allowHosts,
    SecretNames secretNames,
    TopologyConfig topology,
    Properties kafka) {

  public ApiConfig {
    writeTokens = List.copyOf(writeTokens);
    allowHosts = List.copyOf(allowHosts);
    readTokens = List.copyOf(readTokens);
    if (writeTokens.isEmpty()) {
      throw new Settings.ConfigException("SEISMO_API_WRITE_TOKENS",
          "is required: writes to the control API need a bearer token");
    }
    Properties copy = new Properties();
    copy.putAll(kafka);
    kafka = copy;
  }

  public static ApiConfig from(Settings settings) {
    return new ApiConfig(
        settings.string("SEISMO_BOOTSTRAP_SERVERS", "localhost:9092"),
        settings.integer("SEISMO_API_PORT", 8080, 0, 65535),
        settings.string("SEISMO_API_ADVERTISED_HOST", "localhost"),
        settings.list("SEISMO_API_WRITE_TOKENS", List.of()),
        settings.list("SEISMO_API_READ_TOKENS", List.of()),
        settings.bytes("SEISMO_API_MAX_REQUEST_BYTES", 64 * 1024, 1024),
        settings.integer("SEISMO_API_MIN_POLL_INTERVAL", 1000, 1, Integer.MAX_VALUE),
        settings.integer("SEISMO_API_METRICS_MAX_APIS", 500, 0, 100_000),
        settings.integer("SEISMO_API_RATE_LIMIT", 20, 1, 1_000_000),
        settings.integer("SEISMO_API_RATE_BURST", 100, 1, 1_000_000),
        settings.duration("SEISMO_API_STREAM_HEARTBEAT", java.time.Duration.ofSeconds(15)),
        settings.list("SEISMO_INGEST_ALLOW_HOSTS", List.of()),
        IngestConfig.secretNames(settings),
        TopologyConfig.from(settings),
        settings.kafkaOverrides());
  }
}
