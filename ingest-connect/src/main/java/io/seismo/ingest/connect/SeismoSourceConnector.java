package io.seismo.ingest.connect;

import io.seismo.schemas.Registration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seismo's ingest as a Kafka Connect source connector: the same poll and SSE jobs as the standalone ingest,
 * one task per set of {@code seismo.registrations} partitions; see docs/architecture.md.
 */
public final class SeismoSourceConnector extends SourceConnector {

  private static final Logger log = LoggerFactory.getLogger(SeismoSourceConnector.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

  private Map<String, String> props;
  private RegistrationReader reader;
  /** apiId → its partition, for the live (not deleted) registrations. */
  private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
  private volatile SortedSet<Integer> assigned = new TreeSet<>();
  private volatile boolean loaded;

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
    SeismoConnectorConfig.ingestConfig(props); // a bad value fails the start with a message naming the setting
    reader = new RegistrationReader(props.get(SeismoConnectorConfig.BOOTSTRAP_SERVERS),
        SeismoConnectorConfig.kafkaOverrides(props), "seismo-connect-registrations", partition -> true,
        new RegistrationReader.Listener() {
          @Override
          public void registration(int partition, String apiId, Registration registration) {
            if (registration == null) {
              partitionOf.remove(apiId);
            } else {
              partitionOf.put(apiId, partition);
            }
            reconfigureIfChanged();
          }
        });
    try {
      loaded = reader.start("seismo-connect-registrations", LOAD_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!loaded) {
      log.warn("registrations not read to their end within {}: tasks are configured as they come", LOAD_TIMEOUT);
    }
    loaded = true;
    assigned = occupiedPartitions();
    log.info("seismo source connector started partitions with registrations={} apis={}", assigned, partitionOf.size());
  }

  private SortedSet<Integer> occupiedPartitions() {
    return new TreeSet<>(partitionOf.values());
  }

  private void reconfigureIfChanged() {
    if (!loaded) {
      return;
    }
    SortedSet<Integer> now = occupiedPartitions();
    if (!now.equals(assigned)) {
      log.info("partitions with registrations changed from {} to {}: reconfiguring the tasks", assigned, now);
      assigned = now;
      context().requestTaskReconfiguration();
    }
  }

  @Override
  public Class<? extends Task> taskClass() {
    return SeismoSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Integer> partitions = new ArrayList<>(assigned);
    int tasks = Math.min(maxTasks, partitions.size());
    List<Map<String, String>> configs = new ArrayList<>();
    for (int task = 0; task < tasks; task++) {
      List<String> mine = new ArrayList<>();
      for (int i = task; i < partitions.size(); i += tasks) {
        mine.add(Integer.toString(partitions.get(i)));
      }
      Map<String, String> config = new HashMap<>(props);
      config.put(SeismoConnectorConfig.TASK_PARTITIONS, String.join(",", mine));
      configs.add(config);
    }
    log.info("task configs: {}", configs.stream().map(c -> c.get(SeismoConnectorConfig.TASK_PARTITIONS))
        .collect(Collectors.joining("] [", "[", "]")));
    return configs;
  }

  @Override
  public void stop() {
    if (reader != null) {
      reader.close();
    }
  }

  @Override
  public ConfigDef config() {
    return SeismoConnectorConfig.CONFIG_DEF;
  }

  /** Connect's checks of the {@link ConfigDef}, and Seismo's own: see {@link SeismoConnectorConfig#problems}. */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    List<ConfigValue> values = new ArrayList<>(config.configValues());
    SeismoConnectorConfig.addTo(values, SeismoConnectorConfig.problems(connectorConfigs));
    return new Config(values);
  }

  /**
   * Exactly once (KIP-618): every record of a task, with the source offsets that say where its jobs stand,
   * is written in the worker's transaction; a task started again after a crash resumes from the offsets of
   * the last committed transaction, so nothing it wrote is written twice.
   */
  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.SUPPORTED;
  }

  /**
   * Transactions are the worker's: {@code transaction.boundary=poll} (the default: each batch a task returns)
   * or {@code interval}. A poll or an SSE event is one record whose offset is complete on its own, so there is
   * no larger unit a connector-defined boundary would keep together.
   */
  @Override
  public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }
}
