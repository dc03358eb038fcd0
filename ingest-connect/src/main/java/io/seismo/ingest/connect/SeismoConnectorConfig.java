package io.seismo.ingest.connect;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.OutboundConfig;
import io.seismo.runtime.net.SecretNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The connector's settings: each {@code seismo.*} key is the standalone ingest's {@code SEISMO_*} variable
 * written the Connect way, read by the same {@link IngestConfig#from}; listed in docs/kafka-connect.md.
 */
public final class SeismoConnectorConfig {

  public static final String BOOTSTRAP_SERVERS = "seismo.bootstrap.servers";
  public static final String KAFKA_PREFIX = "seismo.kafka.";
  public static final String SECRET_PREFIX = "seismo.secret.";
  public static final String SECRET_ENV_ALLOW = "seismo.secret.env.allow";
  /** The address allowlist: the standalone services' {@code SEISMO_ALLOW_HOSTS} (formerly SEISMO_INGEST_ALLOW_HOSTS). */
  public static final String ALLOW_HOSTS = "seismo.ingest.allow.hosts";
  /** Set by the connector on each task: the partitions of {@code seismo.registrations} whose APIs it runs. */
  public static final String TASK_PARTITIONS = "seismo.task.partitions";

  public static final String KEY_CONVERTER = "key.converter";
  public static final String VALUE_CONVERTER = "value.converter";
  public static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";
  public static final String BYTES_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

  private static final String GROUP_KAFKA = "Kafka";
  private static final String GROUP_GUARD = "Address guard and secrets";
  private static final String GROUP_LIMITS = "Limits";

  /** The ingest settings that apply inside Connect, with their meaning (the defaults are the ingest's). */
  private static final Map<String, String> INGEST_SETTINGS = new LinkedHashMap<>();

  static {
    INGEST_SETTINGS.put("seismo.ingest.max.body.bytes", "larger bodies are recorded truncated, with their real size (2097152; a size like 512k, 2m)");
    INGEST_SETTINGS.put("seismo.ingest.connect.timeout", "connect timeout (5s)");
    INGEST_SETTINGS.put("seismo.ingest.read.timeout", "gap between two reads (15s)");
    INGEST_SETTINGS.put("seismo.ingest.call.timeout", "whole request, redirects included (30s)");
    INGEST_SETTINGS.put("seismo.ingest.max.redirects", "redirects followed, each one guarded (5)");
    INGEST_SETTINGS.put("seismo.ingest.min.interval", "shortest poll interval accepted (1s)");
    INGEST_SETTINGS.put("seismo.ingest.host.concurrency", "concurrent requests per upstream host, per task (4)");
    INGEST_SETTINGS.put("seismo.ingest.idle.connections", "idle keep-alive connections kept per task (256)");
    INGEST_SETTINGS.put("seismo.ingest.max.backoff", "longest wait after repeated failures; Retry-After honoured up to it (5m)");
    INGEST_SETTINGS.put("seismo.ingest.shutdown.timeout", "bound on polls in flight when a task stops (10s)");
    INGEST_SETTINGS.put("seismo.ingest.sse.idle.timeout", "no SSE event or comment for this long: heartbeat gap, reconnect (60s)");
    INGEST_SETTINGS.put("seismo.ingest.outage.buffer", "raw records a task holds for its worker; beyond it the oldest are dropped and counted (64m)");
  }

  public static final ConfigDef CONFIG_DEF = configDef();

  private SeismoConnectorConfig() {}

  private static ConfigDef configDef() {
    ConfigDef def = new ConfigDef()
        .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
            "Kafka bootstrap servers of the cluster holding seismo.registrations (usually the worker's own)",
            GROUP_KAFKA, 1, ConfigDef.Width.LONG, "Bootstrap servers")
        .define(ALLOW_HOSTS, Type.LIST, "", Importance.HIGH,
            "loopback, private, link-local and metadata addresses are refused unless listed here (host names or CIDRs)",
            GROUP_GUARD, 1, ConfigDef.Width.LONG, "Allowed hosts")
        .define(SECRET_ENV_ALLOW, Type.LIST, SecretNames.DEFAULT_PATTERN, Importance.MEDIUM,
            "names a registration header may reference as ${env:NAME} (globs); resolved from seismo.secret.NAME, else"
                + " the worker's environment",
            GROUP_GUARD, 2, ConfigDef.Width.LONG, "Secret names");
    int order = 1;
    for (Map.Entry<String, String> setting : INGEST_SETTINGS.entrySet()) {
      def.define(setting.getKey(), Type.STRING, null, Importance.LOW, setting.getValue(), GROUP_LIMITS, order++,
          ConfigDef.Width.SHORT, setting.getKey());
    }
    return def;
  }

  /** {@code seismo.ingest.max.body.bytes} → {@code SEISMO_INGEST_MAX_BODY_BYTES}. */
  static String variable(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The connector's settings as the ingest's variables, for {@link IngestConfig#from}. */
  static Settings settings(Map<String, String> props) {
    Map<String, String> values = new HashMap<>();
    props.forEach((key, value) -> {
      if (value == null || key.startsWith(SECRET_PREFIX) && !key.equals(SECRET_ENV_ALLOW)) {
        return; // secrets are not settings
      }
      if (key.equals(ALLOW_HOSTS)) {
        values.put(OutboundConfig.ALLOW_HOSTS, value);
      } else if (key.equals(BOOTSTRAP_SERVERS) || key.equals(SECRET_ENV_ALLOW) || INGEST_SETTINGS.containsKey(key)) {
        values.put(variable(key), value);
      } else if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
        values.put(Settings.KAFKA_PREFIX + variable(key.substring(KAFKA_PREFIX.length())), value);
      }
    });
    return new Settings(values);
  }

  /** The ingest config of a task or of the connector; throws {@link Settings.ConfigException} for a bad value. */
  static IngestConfig ingestConfig(Map<String, String> props) {
    return IngestConfig.from(settings(props));
  }

  /** The Kafka client settings of the registration readers: {@code seismo.kafka.*} with the prefix removed. */
  static Map<String, Object> kafkaOverrides(Map<String, String> props) {
    Map<String, Object> overrides = new HashMap<>();
    props.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length() && value != null) {
        overrides.put(key.substring(KAFKA_PREFIX.length()), value);
      }
    });
    return overrides;
  }

  /** {@code seismo.secret.NAME} values by NAME. */
  static Map<String, String> secrets(Map<String, String> props) {
    Map<String, String> secrets = new HashMap<>();
    props.forEach((key, value) -> {
      if (key.startsWith(SECRET_PREFIX) && !key.equals(SECRET_ENV_ALLOW) && key.length() > SECRET_PREFIX.length()) {
        secrets.put(key.substring(SECRET_PREFIX.length()), value);
      }
    });
    return secrets;
  }

  /**
   * The checks Connect's {@link ConfigDef} cannot make, as messages by key: each ingest setting parsed as the
   * standalone ingest parses it, the allowlist's CIDRs, secret names against the allowlist, and the converters
   * that pass Seismo's bytes through. Never shows a secret's value.
   */
  static Map<String, List<String>> problems(Map<String, String> props) {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    for (String key : settingKeys()) {
      String value = props.get(key);
      if (value == null || value.isBlank()) {
        continue;
      }
      try {
        IngestConfig.from(new Settings(Map.of(variable(key), value)));
      } catch (Settings.ConfigException e) {
        problems.computeIfAbsent(key, k -> new ArrayList<>())
            .add(e.getMessage().replace("invalid configuration: " + variable(key), key)
                .replace(variable(key), key));
      }
    }
    String allowHosts = props.get(ALLOW_HOSTS);
    if (allowHosts != null && !allowHosts.isBlank()) {
      try {
        AddressGuard.allowing(List.of(allowHosts.split(",")));
      } catch (RuntimeException e) {
        problems.computeIfAbsent(ALLOW_HOSTS, k -> new ArrayList<>())
            .add(ALLOW_HOSTS + " has an entry that is neither a host name nor a CIDR: " + e.getMessage());
      }
    }
    Optional<SecretNames> names = Optional.empty();
    try {
      names = Optional.of(OutboundConfig.secretNames(settings(props)));
    } catch (Settings.ConfigException e) {
      problems.computeIfAbsent(SECRET_ENV_ALLOW, k -> new ArrayList<>())
          .add(e.getMessage().replace("invalid configuration: " + SecretNames.SETTING, SECRET_ENV_ALLOW));
    }
    if (names.isPresent()) {
      for (String name : secrets(props).keySet()) {
        if (!names.get().allows(name)) {
          problems.computeIfAbsent(SECRET_PREFIX + name, k -> new ArrayList<>())
              .add(SECRET_PREFIX + name + " names a secret that " + SECRET_ENV_ALLOW + " (" + names.get().describe()
                  + ") does not allow: registrations could not reference it");
        }
      }
    }
    requireConverter(props, KEY_CONVERTER, STRING_CONVERTER, "keys are UTF-8 apiIds", problems);
    requireConverter(props, VALUE_CONVERTER, BYTES_CONVERTER,
        "values are Seismo's Avro single-object bytes, passed through as they are", problems);
    return problems;
  }

  private static void requireConverter(Map<String, String> props, String key, String expected, String why,
                                       Map<String, List<String>> problems) {
    String value = props.get(key);
    if (value == null || !value.strip().equals(expected)) {
      problems.computeIfAbsent(key, k -> new ArrayList<>()).add(key + " must be " + expected + " (" + why
          + "; the worker's default converter would change them), was " + (value == null ? "not set" : value.strip()));
    }
  }

  /** The keys read by {@link #ingestConfig} that have a parsed value. */
  static List<String> settingKeys() {
    return List.copyOf(INGEST_SETTINGS.keySet());
  }

  /** Adds {@code problems} to Connect's validation result, creating entries for keys it does not list. */
  static void addTo(List<ConfigValue> values, Map<String, List<String>> problems) {
    Map<String, ConfigValue> byName = new HashMap<>();
    values.forEach(value -> byName.put(value.name(), value));
    problems.forEach((key, messages) -> {
      ConfigValue value = byName.get(key);
      if (value == null) {
        value = new ConfigValue(key);
        values.add(value);
        byName.put(key, value);
      }
      messages.forEach(value::addErrorMessage);
    });
  }
}
