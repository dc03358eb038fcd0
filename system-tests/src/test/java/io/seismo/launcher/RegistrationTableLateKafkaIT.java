package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.testsupport.TcpForwarder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The registration table (control API, notifier) started while Kafka is not reachable yet — compose
 * starting the services before the broker answers — must load once it is, not stay empty for good.
 */
class RegistrationTableLateKafkaIT {

  @Test
  void shouldLoadTheRegistrationsWhenKafkaBecomesReachableAfterTheTableStarted() throws Exception {
    String bootstrap = SharedKafkaBroker.bootstrapServers();
    String apiId = "late-kafka-" + UUID.randomUUID().toString().substring(0, 8);
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(adminProps)) { // the shared broker: as many partitions as the shared stack makes
      new TopicInitializer(admin, TestStack.PARTITIONS, Optional.empty()).ensure(List.of(Topics.REGISTRATIONS));
    }
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), apiId, Topics.REGISTRATIONS.valueSerde()
          .serializer().serialize("", Registration.newBuilder().setApiId(apiId).setUrl("https://example.org/")
              .build()))).get();
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    try (RegistrationTable table = new RegistrationTable("127.0.0.1:" + port, new Properties(), "late-kafka-it").start()) {
      Thread.sleep(33_000); // nothing listens yet: longer than the table's 30 s wait for the topic's partitions
      try (ServerSocket forwarder = TcpForwarder.forward(port, bootstrap)) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!(table.loaded() && table.get(apiId).isPresent()) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(table.loaded()).isTrue();
        assertThat(table.get(apiId).map(Registration::getApiId)).isEqualTo(Optional.of(apiId));
      }
    }
  }

  @Test
  void shouldLoadTheRegistrationsWhenTheTopicIsCreatedAfterTheTableStarted() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
         RegistrationTable table = new RegistrationTable(broker.bootstrapServers(), new Properties(), "late-topic-it")
             .start()) {
      Thread.sleep(3_000); // the table asked for the topic's partitions: none yet
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 1, Optional.empty()).ensure(List.of(Topics.REGISTRATIONS));
      }
      Properties producerProps = new Properties();
      producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
          new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), "created-later", Topics.REGISTRATIONS
            .valueSerde().serializer().serialize("", Registration.newBuilder().setApiId("created-later")
                .setUrl("https://example.org/").build()))).get();
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (table.get("created-later").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }

      assertThat(table.get("created-later").map(Registration::getApiId)).isEqualTo(Optional.of("created-later"));
    }
  }
}
