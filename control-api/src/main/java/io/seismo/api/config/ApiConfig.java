package io.seismo.api.config;

import io.seismo.api.stream.StreamSettings;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.OutboundConfig;
import io.seismo.runtime.net.SecretNames;
import io.seismo.topology.config.TopologyConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * SEISMO_API_MAX_REQUEST_BYTES   largest accepted request body (a size: 65536, 64k)     (65536)
 * SEISMO_API_MIN_POLL_INTERVAL   shortest poll interval accepted (a duration)           (1s)
 * SEISMO_API_METRICS_MAX_APIS    per-API Prometheus meters kept per instance            (500)
 * SEISMO_API_METRICS_STREAMS_TASKS  Kafka Streams' per-task, node and store meters too  (false)
 * SEISMO_API_RATE_LIMIT          requests per second per principal (or client address   (20)
 *                                without a valid token); decimals allowed, e.g. 0.5
 * SEISMO_API_RATE_BURST          requests a caller may burst above the rate             (100)
 *                                /internal/* (peer instances) has its own buckets, 10x both
 * SEISMO_API_STREAM_HEARTBEAT    heartbeat comment interval on /apis/{id}/stream         (15s)
 * SEISMO_API_STREAM_SEND_TIMEOUT a write a stream client does not take within this: cut off (30s)
 * SEISMO_API_STREAM_MAX_BUFFERED bytes of patches waiting for one stream client, beyond: cut off (1m)
 * SEISMO_API_STREAM_MAX_AGE      a stream is closed after this (clients resume, Last-Event-ID) (1h)
 * SEISMO_API_STREAM_MAX_PER_CALLER concurrent streams per token (or client address); beyond: 429 (32)
 * SEISMO_API_STREAM_MAX_TOTAL    concurrent streams per instance; beyond: 503             (1000)
 * SEISMO_ALLOW_HOSTS             the outbound allowlist, as ingest, applied to registered URLs (none;
 *                                SEISMO_INGEST_ALLOW_HOSTS, its former name, still read with a warning)
 * SEISMO_SECRET_ENV_ALLOW        env names ${env:NAME} may reference (globs, as ingest)  (SEISMO_SECRET_*)
 * SEISMO_API_INGEST_URLS         base URLs of the ingest instances' HTTP surfaces, for   (empty)
 *                                GET /system (comma-separated, e.g. http://ingest-1:8081)
 * SEISMO_INGEST_GROUP_ID         the ingest instances' consumer group, shown by /system   (seismo-ingest)
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
    boolean metricsStreamsTasks,
    double rateLimitPerSecond,
    int rateLimitBurst,
    StreamSettings stream,
    List<String> allowHosts,
    SecretNames secretNames,
    TopologyConfig topology,
    Properties kafka,
    List<URI> ingestUrls,
    String ingestGroupId) {

  public ApiConfig {
    writeTokens = List.copyOf(writeTokens);
    allowHosts = List.copyOf(allowHosts);
    readTokens = List.copyOf(readTokens);
    ingestUrls = List.copyOf(ingestUrls);
    if (writeTokens.isEmpty()) {
      throw new Settings.ConfigException("SEISMO_API_WRITE_TOKENS",
          "is required: writes to the control API need a bearer token");
    }
    Properties copy = new Properties();
    copy.putAll(kafka);
    kafka = copy;
  }

  /** Requests per second: a positive decimal number up to 1,000,000. */
  static double rate(String raw) {
    try {
      double rate = Double.parseDouble(raw.strip());
      if (rate > 0 && rate <= 1_000_000) {
        return rate;
      }
    } catch (NumberFormatException ignoredBecauseReportedBelow) {
      // reported below
    }
    throw new Settings.ConfigException("SEISMO_API_RATE_LIMIT",
        "must be a number of requests per second above 0 and up to 1000000 (decimals allowed), was '" + raw + "'");
  }

  public static ApiConfig from(Settings settings) {
    return new ApiConfig(
        settings.string("SEISMO_BOOTSTRAP_SERVERS", "localhost:9092"),
        settings.integer("SEISMO_API_PORT", 8080, 0, 65535),
        settings.string("SEISMO_API_ADVERTISED_HOST", "localhost"),
        settings.list("SEISMO_API_WRITE_TOKENS", List.of()),
        settings.list("SEISMO_API_READ_TOKENS", List.of()),
        settings.bytes("SEISMO_API_MAX_REQUEST_BYTES", 64 * 1024, 1024),
        Math.max(1, settings.duration("SEISMO_API_MIN_POLL_INTERVAL", Duration.ofSeconds(1)).toMillis()),
        settings.integer("SEISMO_API_METRICS_MAX_APIS", 500, 0, 100_000),
        settings.bool("SEISMO_API_METRICS_STREAMS_TASKS", false),
        rate(settings.string("SEISMO_API_RATE_LIMIT", "20")),
        settings.integer("SEISMO_API_RATE_BURST", 100, 1, 1_000_000),
        streamSettings(settings),
        OutboundConfig.allowHosts(settings),
        OutboundConfig.secretNames(settings),
        TopologyConfig.from(settings),
        settings.kafkaOverrides(),
        ingestUrls(settings.list("SEISMO_API_INGEST_URLS", List.of())),
        settings.string("SEISMO_INGEST_GROUP_ID", "seismo-ingest"));
  }

  /** http(s) base URLs, without a path beyond "/": /system reads their /metrics and /health/ready. */
  static List<URI> ingestUrls(List<String> raw) {
    List<URI> urls = new ArrayList<>();
    for (String value : raw) {
      try {
        URI uri = new URI(value.strip());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
            && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
            && uri.getRawQuery() == null && uri.getUserInfo() == null) {
          urls.add(URI.create(scheme + "://" + uri.getRawAuthority()));
          continue;
        }
      } catch (URISyntaxException ignoredBecauseReportedBelow) {
        // reported below
      }
      throw new Settings.ConfigException("SEISMO_API_INGEST_URLS",
          "must be comma-separated http(s) base URLs like http://ingest:8081, was '" + value + "'");
    }
    return urls;
  }

  private static StreamSettings streamSettings(Settings settings) {
    StreamSettings defaults = StreamSettings.defaults();
    Duration heartbeat = positive(settings, "SEISMO_API_STREAM_HEARTBEAT", defaults.heartbeat());
    Duration sendTimeout = positive(settings, "SEISMO_API_STREAM_SEND_TIMEOUT", defaults.sendTimeout());
    Duration maxAge = positive(settings, "SEISMO_API_STREAM_MAX_AGE", defaults.maxAge());
    return new StreamSettings(heartbeat, sendTimeout,
        settings.bytes("SEISMO_API_STREAM_MAX_BUFFERED", defaults.maxBufferedBytes(), 1024),
        maxAge,
        settings.integer("SEISMO_API_STREAM_MAX_PER_CALLER", defaults.maxPerCaller(), 1, 1_000_000),
        settings.integer("SEISMO_API_STREAM_MAX_TOTAL", defaults.maxTotal(), 1, 1_000_000));
  }

  private static Duration positive(Settings settings, String name, Duration defaultValue) {
    Duration value = settings.duration(name, defaultValue);
    if (value.isNegative() || value.isZero()) {
      throw new Settings.ConfigException(name, "must be a positive duration");
    }
    return value;
  }
}
