package io.seismo.ingest.notify.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Posts alerts to Prometheus Alertmanager's {@code POST /api/v2/alerts}: an outage is one alert from FAILING
 * (or STALLED) until RECOVERED, other kinds are events; see docs/notifications.md.
 */
public final class AlertmanagerFormat implements ChannelFormat {

  private final Duration hold;
  private final Duration eventDuration;
  private final String generatorUrl;
  private final Clock clock;

  public AlertmanagerFormat(Duration hold, Duration eventDuration, String generatorUrl) {
    this(hold, eventDuration, generatorUrl, Clock.systemUTC());
  }

  AlertmanagerFormat(Duration hold, Duration eventDuration, String generatorUrl, Clock clock) {
    this.clock = clock;
    this.hold = hold;
    this.eventDuration = eventDuration;
    this.generatorUrl = generatorUrl;
  }

  @Override
  public String target(String configuredUrl) {
    String base = configuredUrl.endsWith("/") ? configuredUrl.substring(0, configuredUrl.length() - 1) : configuredUrl;
    return base.endsWith("/api/v2/alerts") ? base : base + "/api/v2/alerts";
  }

  @Override
  public String render(AlertMessage alert) {
    ArrayNode alerts = Json.MAPPER.createArrayNode();
    Instant at = alert.at();
    switch (alert.kind()) {
      case "FAILING" -> add(alerts, "SeismoApiFailing", "critical", alert, at, at.plus(hold));
      case "STALLED" -> add(alerts, "SeismoApiStalled", "warning", alert, at, at.plus(hold));
      case "RECOVERED" -> {
        // Alertmanager keeps the later endsAt of a firing alert unless the new one is already over: an
        // endsAt in its future (a topology clock ahead of ours) would not resolve the outage
        Instant ended = at.isBefore(clock.instant()) ? at : clock.instant();
        add(alerts, "SeismoApiFailing", "critical", alert, null, ended);
        add(alerts, "SeismoApiStalled", "warning", alert, null, ended);
      }
      case "CHANGED" -> add(alerts, "SeismoApiChanged", "info", alert, at, at.plus(eventDuration));
      case "THRESHOLD" -> add(alerts, "SeismoApiThreshold", "warning", alert, at, at.plus(eventDuration));
      default -> add(alerts, "SeismoTestAlert", "info", alert, at, at.plus(eventDuration));
    }
    return Json.write(alerts);
  }

  private void add(ArrayNode alerts, String name, String severity, AlertMessage alert, Instant startsAt, Instant endsAt) {
    ObjectNode item = alerts.addObject();
    item.putObject("labels").put("alertname", name).put("apiId", alert.apiId()).put("severity", severity)
        .put("service", "seismo");
    item.putObject("annotations").put("summary", alert.summary()).put("description", alert.detail())
        .put("seismoAlertId", alert.id());
    if (startsAt != null) {
      item.put("startsAt", startsAt.toString());
    }
    item.put("endsAt", endsAt.toString());
    if (generatorUrl != null && !generatorUrl.isBlank()) {
      item.put("generatorURL", generatorUrl.replace("{apiId}", URLEncoder.encode(alert.apiId(),
          StandardCharsets.UTF_8)));
    }
  }
}
