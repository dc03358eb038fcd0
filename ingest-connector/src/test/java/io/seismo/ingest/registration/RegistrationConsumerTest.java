package io.seismo.ingest.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class RegistrationConsumerTest {

  @Test
  void shouldStartWhenTheSharedKafkaSettingsCarryClassicGroupTimeouts() {
    // one SEISMO_KAFKA_* set for every service (the topology's classic group takes them); under the consumer
    // group protocol the session timeout and heartbeat are the broker's, and a client setting them fails to start
    IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_BOOTSTRAP_SERVERS", "localhost:9",
        "SEISMO_KAFKA_SESSION_TIMEOUT_MS", "10000", "SEISMO_KAFKA_HEARTBEAT_INTERVAL_MS", "2000")));

    Properties props = RegistrationConsumer.consumerProperties(config);

    assertThat(props).doesNotContainKeys(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()).close();
  }

  @Test
  void shouldKeepTheTimeoutsWhenTheClassicProtocolIsChosen() {
    IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_BOOTSTRAP_SERVERS", "localhost:9",
        "SEISMO_KAFKA_GROUP_PROTOCOL", "classic", "SEISMO_KAFKA_SESSION_TIMEOUT_MS", "10000")));

    Properties props = RegistrationConsumer.consumerProperties(config);

    assertThat(props).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()).close();
  }
}
