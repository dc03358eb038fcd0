package io.seismo.ingest.notify.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Teams incoming webhooks (Workflows "post to a channel when a webhook request is received",
 * and the older Office 365 connectors): a {@code message} whose one attachment is an Adaptive Card
 * (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
 * — "Send Adaptive Cards using an Incoming Webhook"), card version 1.4: a bold title, the detail and a
 * FactSet (API, kind, time, id).
 */
public final class TeamsFormat implements ChannelFormat {

  @Override
  public String render(AlertMessage alert) {
    ObjectNode body = Json.object().put("type", "message");
    ObjectNode attachment = body.putArray("attachments").addObject()
        .put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content")
        .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
        .put("type", "AdaptiveCard").put("version", "1.4");
    ArrayNode items = card.putArray("body");
    items.addObject().put("type", "TextBlock").put("text", alert.summary()).put("weight", "Bolder")
        .put("size", "Medium").put("wrap", true)
        .put("color", switch (alert.severity()) {
          case PROBLEM -> "Attention";
          case RESOLVED -> "Good";
          case INFO -> "Default";
        });
    items.addObject().put("type", "TextBlock").put("text", alert.detail().isEmpty() ? " " : alert.detail()).put("wrap", true);
    ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
    facts.addObject().put("title", "API").put("value", alert.apiId());
    facts.addObject().put("title", "Kind").put("value", alert.kind());
    facts.addObject().put("title", "At").put("value", alert.at().toString());
    facts.addObject().put("title", "Id").put("value", alert.id());
    return Json.write(body);
  }
}
