package io.seismo.ingest.notify.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Slack incoming webhooks (https://api.slack.com/messaging/webhooks): a top-level {@code text} (the
 * notification and fallback) and Block Kit {@code blocks} — a {@code section} with {@code mrkdwn} text
 * (at most 3000 characters) and a {@code context} line. Slack's control characters {@code & < >} are
 * escaped as Slack documents, so an alert's detail cannot ping {@code <!channel>} or forge a link.
 */
public final class SlackFormat implements ChannelFormat {

  @Override
  public String render(AlertMessage alert) {
    String emoji = switch (alert.severity()) {
      case PROBLEM -> ":red_circle:";
      case RESOLVED -> ":large_green_circle:";
      case INFO -> ":information_source:";
    };
    ObjectNode body = Json.object();
    body.put("text", Json.cut(escape(alert.summary() + ": " + alert.detail()), 3000));
    ArrayNode blocks = body.putArray("blocks");
    ObjectNode section = blocks.addObject().put("type", "section");
    section.putObject("text").put("type", "mrkdwn")
        .put("text", Json.cut(emoji + " *" + escape(alert.summary()) + "*\n" + escape(alert.detail()), 3000));
    ObjectNode context = blocks.addObject().put("type", "context");
    context.putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", "Seismo · " + alert.kind() + " · " + alert.at() + " · " + escape(alert.id()));
    return Json.write(body);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
