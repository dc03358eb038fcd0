package io.seismo.ingest.notify.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.SecretResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The notification channels of a deployment, read once from {@code SEISMO_NOTIFY_CHANNELS_FILE} and referenced
 * by name from registrations; the file's format is in docs/notifications.md.
 */
public final class Channels {

  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /** One configured channel: an HTTP receiver (URL and body format) or an SMTP one. */
  public record Channel(String name, String type, String url, ChannelFormat format, EmailChannel email) {
    public boolean isEmail() {
      return email != null;
    }
  }

  private final Map<String, Channel> byName;

  private Channels(Map<String, Channel> byName) {
    this.byName = Map.copyOf(byName);
  }

  public static Channels none() {
    return new Channels(Map.of());
  }

  public Optional<Channel> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }

  public static Channels load(Path file, SecretResolver secrets) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the channels file " + file + ": " + e.getMessage(), e);
    }
    return parse(root, secrets);
  }

  public static Channels parse(JsonNode root, SecretResolver secrets) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the channels file must hold a JSON object of channels by name");
    }
    Map<String, Channel> channels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      String name = entry.getKey();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("channel name '" + name + "' must match " + NAME.pattern());
      }
      try {
        channels.put(name, channel(name, entry.getValue(), secrets));
      } catch (IllegalArgumentException | SecretResolver.SecretException e) {
        throw new IllegalArgumentException("channel '" + name + "': " + e.getMessage(), e);
      }
    }
    return new Channels(channels);
  }

  private static Channel channel(String name, JsonNode node, SecretResolver secrets) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("must be an object");
    }
    String type = required(node, "type", secrets).toLowerCase(Locale.ROOT);
    return switch (type) {
      case "slack" -> http(name, type, node, secrets, new SlackFormat());
      case "teams" -> http(name, type, node, secrets, new TeamsFormat());
      case "discord" -> http(name, type, node, secrets, new DiscordFormat());
      case "template" -> {
        JsonNode body = node.get("body");
        if (body == null || body.isNull()) {
          throw new IllegalArgumentException("'body' (the JSON to send, with {{placeholders}}) is required");
        }
        yield http(name, type, node, secrets, new TemplateFormat(body));
      }
      case "alertmanager" -> http(name, type, node, secrets, new AlertmanagerFormat(
          duration(node, "hold", Duration.ofHours(24)), duration(node, "eventDuration", Duration.ofMinutes(5)),
          optional(node, "generatorURL", secrets)));
      case "email" -> {
        List<String> to = new ArrayList<>();
        JsonNode list = node.path("to");
        if (list.isTextual()) {
          to.add(secrets.resolve(list.textValue()));
        } else {
          list.forEach(item -> to.add(secrets.resolve(item.asText())));
        }
        String security = Optional.ofNullable(optional(node, "security", secrets)).orElse("starttls").toUpperCase(Locale.ROOT);
        EmailChannel.Security mode;
        try {
          mode = EmailChannel.Security.valueOf(security);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("'security' must be none, starttls or tls");
        }
        int port = node.path("port").asInt(mode == EmailChannel.Security.TLS ? 465 : 587);
        yield new Channel(name, type, null, null, new EmailChannel(new EmailChannel.Settings(
            required(node, "host", secrets), port, mode, optional(node, "user", secrets), optional(node, "password", secrets),
            required(node, "from", secrets), to, duration(node, "timeout", Duration.ofSeconds(20)))));
      }
      default -> throw new IllegalArgumentException("unknown type '" + type
          + "' (slack, teams, discord, template, alertmanager, email)");
    };
  }

  private static Channel http(String name, String type, JsonNode node, SecretResolver secrets, ChannelFormat format) {
    String url = required(node, "url", secrets);
    okhttp3.HttpUrl parsed = okhttp3.HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("'url' is not an http(s) URL"); // never echo it: it may be a secret
    }
    return new Channel(name, type, format.target(url), format, null);
  }

  private static String required(JsonNode node, String field, SecretResolver secrets) {
    String value = optional(node, field, secrets);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + field + "' is required");
    }
    return value;
  }

  private static String optional(JsonNode node, String field, SecretResolver secrets) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : secrets.resolve(value.asText());
  }

  private static Duration duration(JsonNode node, String field, Duration defaultValue) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    try {
      return Settings.parseDuration(value.asText());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + field + "': " + Settings.DURATION_FORMS);
    }
  }
}
