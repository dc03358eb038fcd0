package io.seismo.schemas.topic;

import io.seismo.schemas.config.Settings;
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

  public static void main(String[] args) {
    try {
      Settings settings = Settings.fromEnvironment();
      int partitions = settings.integer("SEISMO_TOPIC_PARTITIONS", 6, 1, 10_000);
      int replication = settings.integer("SEISMO_TOPIC_REPLICATION_FACTOR", -1, -1, 100);
      Properties props = settings.kafkaOverrides();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.string("SEISMO_BOOTSTRAP_SERVERS", "localhost:9092"));
      try (Admin admin = Admin.create(props)) {
        var created = new TopicInitializer(admin, partitions,
            replication < 0 ? Optional.empty() : Optional.of((short) replication)).ensure(Topics.ALL);
        System.out.println("seismo topics ready; created " + created);
      }
    } catch (RuntimeException e) {
      System.err.println("seismo: cannot create topics: " + e.getMessage());
      System.exit(1);
    }
  }
}
