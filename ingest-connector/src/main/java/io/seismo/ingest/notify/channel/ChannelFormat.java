package io.seismo.ingest.notify.channel;

/** Renders an alert as the JSON body one kind of HTTP receiver expects. */
public interface ChannelFormat {

  /** The request body. */
  String render(AlertMessage alert);

  /** Where to POST it, from the configured URL (Alertmanager adds its API path). */
  default String target(String configuredUrl) {
    return configuredUrl;
  }
}
