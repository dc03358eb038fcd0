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
 * Everything the control API (and the topology instance it embeds) can be told, read once at start-up from the
 * settings listed in the README.
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
