package io.seismo.runtime.topic;

import io.seismo.schemas.topic.TopicSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics Seismo needs, with their cleanup policies and configs. Idempotent: topics that
 * exist are left as they are (a config that differs from the spec is reported with the command that
 * aligns it, never silently changed).
 */
public final class TopicInitializer {

  private static final Logger log = LoggerFactory.getLogger(TopicInitializer.class);
  private static final long TIMEOUT_SECONDS = 30;

  private final Admin admin;
  private final int partitions;
  private final Optional<Short> replicationFactor;

  /**
   * @param partitions        partitions of every topic (all topics are co-partitioned by apiId)
   * @param replicationFactor empty for the broker's default
   */
  public TopicInitializer(Admin admin, int partitions, Optional<Short> replicationFactor) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
    }
    this.admin = admin;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /** Creates the missing topics among {@code specs}; returns the names of those it created. */
  public List<String> ensure(Collection<TopicSpec<?, ?>> specs) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> missing = specs.stream()
          .filter(spec -> !existing.contains(spec.name()))
          .map(spec -> new NewTopic(spec.name(), Optional.of(partitions), replicationFactor).configs(spec.configs()))
          .toList();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          log.info("created topic {} partitions={}", entry.getKey(), partitions);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      reportPolicyDrift(specs.stream().filter(spec -> existing.contains(spec.name())).toList());
      return missing.stream().map(NewTopic::name).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create Seismo topics: " + e.getMessage(), e);
    }
  }

  private void reportPolicyDrift(List<TopicSpec<?, ?>> present)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (present.isEmpty()) {
      return;
    }
    List<ConfigResource> resources = present.stream()
        .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    for (TopicSpec<?, ?> spec : present) {
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
      Map<String, String> wanted = new TreeMap<>(spec.configs());
      wanted.putIfAbsent("cleanup.policy", "delete");
      wanted.forEach((name, value) -> {
        var actual = config.get(name);
        if (actual == null || !value.equals(actual.value())) {
          log.warn("topic {} has {}={} but Seismo expects {}; to align it: kafka-configs.sh --bootstrap-server <brokers> "
              + "--alter --entity-type topics --entity-name {} --add-config '{}=[{}]'", spec.name(), name,
              actual == null ? "(unset)" : actual.value(), value, spec.name(), name, value);
        }
      });
    }
  }
}
