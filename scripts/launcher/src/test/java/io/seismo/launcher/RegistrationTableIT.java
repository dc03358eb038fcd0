package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.RegistrationTable;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The control API's view of the control topic when it starts before the topics exist (a fresh cluster
 * where the control API comes up first): it waits for the topic instead of dying, then loads what is
 * written to it.
 */
class RegistrationTableIT {

  @Test
  void shouldLoadRegistrationsWhenStartedBeforeTheControlTopicExists() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
         RegistrationTable table = new RegistrationTable(broker.bootstrapServers(), new Properties(), "table-it").start()) {
      TimeUnit.SECONDS.sleep(3); // the table looks for the topic and finds none
      assertThat(table.loaded()).isFalse();

      SeismoStack.createTopics(broker.bootstrapServers(), 2);
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaProducer<String, Registration> producer = new KafkaProducer<>(props, new StringSerializer(),
          Topics.REGISTRATIONS.valueSerde().serializer())) {
        producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), "late", Registration.newBuilder().setApiId("late")
            .setUrl("https://example.org/late").setPollIntervalMs(5_000).setDesiredState(DesiredState.RUNNING).build())).get();
      }

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(table.loaded()).isTrue();
        assertThat(table.get("late")).isPresent();
      });
    }
  }
}
