package io.seismo.schemas.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Typed, validated reads of service settings from environment-style variables ({@code SEISMO_*}).
 * Every service builds its immutable config record from one of these in {@code main}; a bad value
 * fails start-up with a message that names the variable and what was expected.
 */
public final class Settings {

  /** Variables starting with this prefix pass through to Kafka clients: SEISMO_KAFKA_SASL_MECHANISM → sasl.mechanism. */
  public static final String KAFKA_PREFIX = "SEISMO_KAFKA_";

  private final Map<String, String> values;
  /** The names some config asked for, so that unknown ones (typos, retired names) can be reported. */
  private final java.util.Set<String> read = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * The {@code SEISMO_*} variables that are set but that no config has read (Kafka pass-through
   * variables excepted): usually a typo or a retired name, reported at start-up.
   */
  public java.util.List<String> unread() {
    return values.keySet().stream()
        .filter(name -> name.startsWith("SEISMO_") && !name.startsWith(KAFKA_PREFIX) && !read.contains(name))
        .sorted().toList();
  }

  /** Marks the set variables whose names match as read: they are used, though not through a getter here. */
  public void markRead(java.util.function.Predicate<String> names) {
    values.keySet().stream().filter(names).forEach(read::add);
  }

  public static Settings fromEnvironment() {
    return new Settings(System.getenv());
  }

  /** A copy with {@code overrides} taking precedence (used by the quickstart and tests). */
  public Settings with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Settings(merged);
  }

  public String string(String name, String defaultValue) {
    read.add(name);
    String value = values.get(name);
    return value == null || value.isBlank() ? defaultValue : value.strip();
  }

  public String required(String name) {
    String value = string(name, null);
    if (value == null) {
      throw new ConfigException(name, "is required");
    }
    return value;
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        throw new ConfigException(name, "must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be an integer, was '" + raw + "'");
    }
  }

  public long bytes(String name, long defaultValue, long min) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    try {
      long value = Long.parseLong(raw);
      if (value < min) {
        throw new ConfigException(name, "must be at least " + min + " bytes, was " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a number of bytes, was '" + raw + "'");
    }
  }

  /** Durations as ISO-8601 ({@code PT5S}) or a number with a unit: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
  public Duration duration(String name, Duration defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    try {
      return parseDuration(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, "must be a duration like 500ms, 5s, 2m or PT5S, was '" + raw + "'");
    }
  }

  public List<String> list(String name, List<String> defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  public boolean bool(String name, boolean defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new ConfigException(name, "must be true or false, was '" + raw + "'");
    };
  }

  /** Kafka client overrides: every {@code SEISMO_KAFKA_X_Y} becomes {@code x.y}. */
  public Properties kafkaOverrides() {
    Properties properties = new Properties();
    values.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
        properties.put(key.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return properties;
  }

  public static Duration parseDuration(String raw) {
    Objects.requireNonNull(raw, "raw");
    String text = raw.strip().toLowerCase(Locale.ROOT);
    if (text.startsWith("p")) {
      return Duration.parse(raw.strip().toUpperCase(Locale.ROOT));
    }
    int split = 0;
    while (split < text.length() && Character.isDigit(text.charAt(split))) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException("no number in " + raw);
    }
    long amount = Long.parseLong(text.substring(0, split));
    return switch (text.substring(split).strip()) {
      case "ms" -> Duration.ofMillis(amount);
      case "s", "" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("unknown unit in " + raw);
    };
  }

  /** A setting has a bad value; the message names the setting. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String name, String problem) {
      super("invalid configuration: " + name + " " + problem);
    }
  }
}
