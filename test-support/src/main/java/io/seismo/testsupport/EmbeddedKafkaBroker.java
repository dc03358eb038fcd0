package io.seismo.testsupport;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (combined KRaft broker + controller) running in this JVM, built on
 * Kafka's own {@link KafkaClusterTestKit}. It stores its log in a temporary directory that is removed
 * on {@link #close()}. Used by the integration tests and by the quickstart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  /** Broker settings for a one-node cluster that still supports transactions (exactly-once). */
  private static final Map<String, String> SINGLE_NODE = Map.of(
      "group.initial.rebalance.delay.ms", "0",
      "offsets.topic.replication.factor", "1",
      "offsets.topic.num.partitions", "6",
      "transaction.state.log.replication.factor", "1",
      "transaction.state.log.min.isr", "1",
      "transaction.state.log.num.partitions", "6",
      "share.coordinator.state.topic.replication.factor", "1",
      "auto.create.topics.enable", "false");

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;

  private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, String bootstrapServers) {
    this.cluster = cluster;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats, starts and waits for a fresh broker; ready in a few seconds. */
  public static EmbeddedKafkaBroker start() {
    return start(Map.of());
  }

  /** As {@link #start()}, with broker settings of a test's own on top (for example a short group session timeout). */
  public static EmbeddedKafkaBroker start(Map<String, String> settings) {
    long started = System.nanoTime();
    try {
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(1)
          .setNumControllerNodes(1)
          .build());
      SINGLE_NODE.forEach(builder::setConfigProp);
      settings.forEach(builder::setConfigProp);
      KafkaClusterTestKit cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster, cluster.bootstrapServers());
      log.info("kafka broker ready bootstrap={} startupMs={}", broker.bootstrapServers,
          (System.nanoTime() - started) / 1_000_000);
      return broker;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    try {
      cluster.close();
      log.info("kafka broker stopped");
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the embedded Kafka broker cleanly", e);
    }
  }
}
