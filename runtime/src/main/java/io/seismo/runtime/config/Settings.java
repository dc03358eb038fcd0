package io.seismo.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed, validated reads of service settings from environment-style variables ({@code SEISMO_*}).
 * Every service builds its immutable config record from one of these in {@code main}; a bad value
 * fails start-up with a message that names the variable and what was expected.
 */
public final class Settings {

  /** Variables starting with this prefix pass through to Kafka clients: SEISMO_KAFKA_SASL_MECHANISM → sasl.mechanism. */
  public static final String KAFKA_PREFIX = "SEISMO_KAFKA_";

  private static final Logger log = LoggerFactory.getLogger(Settings.class);
  /** The former names a warning has been logged for: once per process, however many configs read them. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final Map<String, String> values;
  /** The names some config asked for, so that unknown ones (typos, retired names) can be reported. */
  private final Set<String> read = ConcurrentHashMap.newKeySet();

  public Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * The {@code SEISMO_*} variables that are set but that no config has read (Kafka pass-through
   * variables excepted): usually a typo or a retired name, reported at start-up.
   */
  public List<String> unread() {
    return values.keySet().stream()
        .filter(name -> name.startsWith("SEISMO_") && !name.startsWith(KAFKA_PREFIX) && !read.contains(name))
        .sorted().toList();
  }

  /** Marks the set variables whose names match as read: they are used, though not through a getter here. */
  public void markRead(Predicate<String> names) {
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

  /**
   * A size in bytes: a plain number, or a number with a binary unit (case-insensitive, no space needed):
   * {@code k}/{@code kb}/{@code kib} = 1024, {@code m}/{@code mb}/{@code mib} = 1024², {@code g}/{@code gb}/{@code gib}
   * = 1024³ bytes; {@code b} = bytes. {@code 64m} is 67108864.
   */
  public long bytes(String name, long defaultValue, long min) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    long value;
    try {
      value = parseBytes(raw);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException(name, "must be a size like 65536, 512k, 64m or 1g (k, m, g: 1024, 1024², 1024³ bytes),"
          + " was '" + raw + "'");
    }
    if (value < min) {
      throw new ConfigException(name, "must be at least " + min + " bytes, was " + value
          + (raw.equals(Long.toString(value)) ? "" : " (" + raw + ")"));
    }
    return value;
  }

  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,19})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  /** See {@link #bytes}: throws IllegalArgumentException or ArithmeticException (overflow) on a bad size. */
  public static long parseBytes(String raw) {
    Objects.requireNonNull(raw, "raw");
    var matcher = SIZE.matcher(raw.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a size: " + raw);
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "b" : matcher.group(2);
    long factor = switch (unit.charAt(0)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1L;
    };
    return Math.multiplyExact(amount, factor);
  }

  /**
   * A duration: a whole number with a unit, case-insensitive — {@code ms}, {@code s}, {@code m} (minutes),
   * {@code h}, {@code d} — or ISO-8601 ({@code PT5S}, {@code PT1M30S}, {@code P1D}). A bare number is refused
   * (is {@code 1000} seconds or milliseconds?), except {@code 0}; so are negative durations.
   */
  public Duration duration(String name, Duration defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    try {
      return parseDuration(raw);
    } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
      throw new ConfigException(name, "must be " + DURATION_FORMS + ", was '" + raw + "'");
    }
  }

  /** What {@link #parseDuration} accepts, for error messages. */
  public static final String DURATION_FORMS = "a duration with a unit like 500ms, 5s, 2m, 1h, 1d or ISO-8601 like PT5S";

  public List<String> list(String name, List<String> defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * A list setting that was renamed: {@code name}, else its former name {@code formerName} (still read, with a
   * warning naming {@code name}, logged once per process). Both set to different lists is a ConfigException: which
   * one was meant cannot be guessed.
   */
  public List<String> list(String name, String formerName, List<String> defaultValue) {
    List<String> current = list(name, null);
    List<String> former = list(formerName, null);
    if (former == null) {
      return current == null ? defaultValue : current;
    }
    if (current != null && !current.equals(former)) {
      throw new ConfigException(formerName, "is the former name of " + name + ", and both are set, to different"
          + " values: set " + name + " only");
    }
    if (WARNED.add(formerName)) {
      log.warn("setting {} is deprecated: it is now called {} (read under its former name for now; rename it)",
          formerName, name);
    }
    return current == null ? former : current;
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

  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,19})\\s*(ms|s|m|h|d)");

  /**
   * See {@link #duration}; the one duration syntax of every service and of the CLI. Throws
   * IllegalArgumentException (a DateTimeParseException for bad ISO-8601) or ArithmeticException (overflow).
   */
  public static Duration parseDuration(String raw) {
    Objects.requireNonNull(raw, "raw");
    String text = raw.strip().toLowerCase(Locale.ROOT);
    Duration duration;
    if (text.startsWith("p")) {
      duration = Duration.parse(text.toUpperCase(Locale.ROOT));
    } else if (text.equals("0")) {
      duration = Duration.ZERO;
    } else {
      var matcher = DURATION.matcher(text);
      if (!matcher.matches()) {
        throw new IllegalArgumentException("not " + DURATION_FORMS + ": " + raw);
      }
      long amount = Long.parseLong(matcher.group(1));
      duration = switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    duration.toMillis(); // ArithmeticException beyond what the services can use
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + raw);
    }
    return duration;
  }

  /** A setting has a bad value; the message names the setting. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String name, String problem) {
      super("invalid configuration: " + name + " " + problem);
    }
  }
}
