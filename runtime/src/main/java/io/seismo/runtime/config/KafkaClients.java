package io.seismo.runtime.config;

import java.util.Properties;

/** Client settings shared by Seismo's producers, in one place. */
public final class KafkaClients {

  private KafkaClients() {}

  /**
   * An idempotent, acks=all producer that fails a send within seconds instead of blocking a request
   * thread; {@code overrides} (SEISMO_KAFKA_*) win.
   */
  public static Properties reliableProducer(String bootstrapServers, String clientId, Properties overrides) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("client.id", clientId);
    props.put("enable.idempotence", "true");
    props.put("acks", "all");
    props.put("max.block.ms", "5000");
    props.put("delivery.timeout.ms", "8000");
    props.put("request.timeout.ms", "5000");
    props.putAll(overrides);
    return props;
  }
}
