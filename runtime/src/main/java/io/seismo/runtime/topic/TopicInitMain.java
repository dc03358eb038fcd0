package io.seismo.runtime.topic;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.topic.Topics;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Creates Seismo's topics and exits: SEISMO_BOOTSTRAP_SERVERS, SEISMO_TOPIC_PARTITIONS (6),
 * SEISMO_TOPIC_REPLICATION_FACTOR (the broker default), SEISMO_KAFKA_* for security settings.
 * Exit code 1 with one line on failure. Used by compose/ before the services start.
 */
public final class TopicInitMain {

  private TopicInitMain() {}

  /** What the topic initializer reads from the environment. */
  public record Options(int partitions, int replicationFactor, Properties adminProperties) {
    public static Options from(Settings settings) {
      int partitions = settings.integer("SEISMO_TOPIC_PARTITIONS", 6, 1, 10_000);
      int replication = settings.integer("SEISMO_TOPIC_REPLICATION_FACTOR", -1, -1, 100);
      Properties props = settings.kafkaOverrides();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.string("SEISMO_BOOTSTRAP_SERVERS", "localhost:9092"));
      return new Options(partitions, replication, props);
    }
  }

  public static void main(String[] args) {
    try {
      Options options = Options.from(Settings.fromEnvironment());
      try (Admin admin = Admin.create(options.adminProperties())) {
        var created = new TopicInitializer(admin, options.partitions(), options.replicationFactor() < 0
            ? Optional.empty() : Optional.of((short) options.replicationFactor())).ensure(Topics.ALL);
        System.out.println("seismo topics ready; created " + created);
      }
    } catch (RuntimeException e) {
      System.err.println("seismo: cannot create topics: " + e.getMessage());
      System.exit(1);
    }
  }
}
