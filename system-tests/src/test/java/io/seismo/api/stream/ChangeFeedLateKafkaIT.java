package io.seismo.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.Change;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import io.seismo.testsupport.TcpForwarder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The control API's change feed (behind {@code /apis/{id}/stream}) started before Kafka answers, or
 * before the analysis topics exist — a cluster starting, a broker being restarted — must start
 * delivering once they do, not stop for good after its first metadata wait.
 */
class ChangeFeedLateKafkaIT {

  @Test
  void shouldDeliverChangesWhenTheTopicsAreCreatedAfterTheFeedStarted() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
         ChangeFeed feed = new ChangeFeed(broker.bootstrapServers(), shortMetadataWait()).start()) {
      ChangeFeed.Subscription subscription = feed.subscribe("late-topics");
      Thread.sleep(3_000); // the feed asked for the partitions: none yet
      createTopics(broker.bootstrapServers());

      assertThat(firstChange(broker.bootstrapServers(), subscription, "late-topics")).isNotNull();
    }
  }

  @Test
  void shouldDeliverChangesWhenKafkaBecomesReachableAfterTheFeedStarted() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
         ChangeFeed feed = new ChangeFeed("127.0.0.1:" + port, shortMetadataWait()).start()) {
      createTopics(broker.bootstrapServers());
      ChangeFeed.Subscription subscription = feed.subscribe("late-kafka");
      Thread.sleep(32_000); // nothing listens: longer than a metadata wait (the feed once gave up after 30 s)
      try (ServerSocket forwarder = TcpForwarder.forward(port, broker.bootstrapServers())) {
        assertThat(firstChange(broker.bootstrapServers(), subscription, "late-kafka")).isNotNull();
      }
    }
  }

  private static Properties shortMetadataWait() {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    return overrides;
  }

  private static void createTopics(String bootstrap) throws Exception {
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(adminProps)) {
      new TopicInitializer(admin, 1, Optional.empty()).ensure(List.of(Topics.CHANGES, Topics.STATUS));
    }
  }

  /** Produces a change every 200 ms (the feed reads from the end) until the subscription gets one; 30 s at most. */
  private static Change firstChange(String bootstrap, ChangeFeed.Subscription subscription, String apiId)
      throws Exception {
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
        new ByteArraySerializer())) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      for (int i = 0; System.nanoTime() < deadline; i++) {
        Change change = Change.newBuilder().setApiId(apiId).setAt(Instant.now()).setSequence(i).setPreviousHash("h" + i)
            .setNewHash("h" + (i + 1)).setPatch("[]").build();
        producer.send(new ProducerRecord<>(Topics.CHANGES.name(), apiId,
            Topics.CHANGES.valueSerde().serializer().serialize(Topics.CHANGES.name(), change))).get();
        if (subscription.poll(200) instanceof Change received) {
          return received;
        }
      }
      return null;
    }
  }
}
