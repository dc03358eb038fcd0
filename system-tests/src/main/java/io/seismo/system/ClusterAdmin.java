package io.seismo.system;

import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cluster seen through a Kafka {@link Admin}: the Seismo topics created, brokers registered, replicas in sync, leaders. */
final class ClusterAdmin {

  private static final Logger log = LoggerFactory.getLogger(ClusterAdmin.class);

  private final String bootstrapServers;

  ClusterAdmin(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    return Admin.create(props);
  }

  void createTopics() {
    try (Admin admin = admin()) {
      List<String> created = new TopicInitializer(admin, SeismoCluster.PARTITIONS, Optional.of(SeismoCluster.REPLICATION))
          .ensure(Topics.ALL);
      log.info("topics ready created={}", created);
    }
  }

  /** Waits until {@code count} brokers are registered with the controller. */
  void awaitBrokers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          int nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
          if (nodes >= count) {
            return;
          }
        } catch (Exception notYet) {
          // retried below
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("fewer than " + count + " Kafka brokers registered within " + timeout);
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
    }
  }

  /** Waits until every partition of the Seismo topics has all its replicas in sync (false on timeout). */
  boolean awaitFullIsr(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> names = Topics.ALL.stream().map(spec -> spec.name()).collect(Collectors.toSet());
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS);
          boolean full = topics.values().stream().flatMap(t -> t.partitions().stream())
              .allMatch(p -> p.isr().size() == p.replicas().size() && p.leader() != null);
          if (full) {
            return true;
          }
        } catch (Exception notYet) {
          // retried
        }
        TimeUnit.SECONDS.sleep(1);
      }
    }
    return false;
  }

  /** The broker (1-based node id) leading {@code partition} of {@code topic}, if there is a leader. */
  Optional<Integer> leaderOf(String topic, int partition) {
    try (Admin admin = admin()) {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      TopicPartitionInfo info = description.partitions().get(partition);
      Node leader = info.leader();
      return leader == null || leader.isEmpty() ? Optional.empty() : Optional.of(leader.id());
    } catch (Exception e) {
      log.warn("cannot describe {}: {}", topic, e.toString());
      return Optional.empty();
    }
  }
}
