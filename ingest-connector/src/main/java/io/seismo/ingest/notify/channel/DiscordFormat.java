package io.seismo.ingest.notify.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Discord webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook): {@code content}
 * (at most 2000 characters) and one embed (title ≤ 256, description ≤ 4096, fields name ≤ 256 / value ≤
 * 1024, an ISO-8601 {@code timestamp}, a colour), with {@code allowed_mentions.parse} empty so that an
 * alert's text can never ping {@code @everyone} or a role.
 */
public final class DiscordFormat implements ChannelFormat {

  @Override
  public String render(AlertMessage alert) {
    ObjectNode body = Json.object().put("content", Json.cut(alert.summary(), 2000));
    body.putObject("allowed_mentions").putArray("parse");
    ObjectNode embed = body.putArray("embeds").addObject()
        .put("title", Json.cut(alert.summary(), 256))
        .put("description", Json.cut(alert.detail().isEmpty() ? alert.kind() : alert.detail(), 4096))
        .put("timestamp", alert.at().toString())
        .put("color", switch (alert.severity()) {
          case PROBLEM -> 0xD93F0B;
          case RESOLVED -> 0x2DA44E;
          case INFO -> 0x5865F2;
        });
    ArrayNode fields = embed.putArray("fields");
    fields.addObject().put("name", "API").put("value", Json.cut(alert.apiId(), 1024)).put("inline", true);
    fields.addObject().put("name", "Kind").put("value", alert.kind()).put("inline", true);
    embed.putObject("footer").put("text", Json.cut("Seismo · " + alert.id(), 2048));
    return Json.write(body);
  }
}
