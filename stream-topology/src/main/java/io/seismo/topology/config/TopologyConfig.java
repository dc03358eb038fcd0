package io.seismo.topology.config;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.Registration;
import io.seismo.schemas.serde.RecordFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;

/** Configuration of the stream topology, read from the {@code SEISMO_TOPOLOGY_*} settings listed in the README. */
public record TopologyConfig(
    String bootstrapServers,
    String applicationId,
    Path stateDir,
    int threads,
    Duration commitInterval,
    int failingAfter,
    int stallFactor,
    Duration stallCheck,
    Duration ingestMaxBackoff,
    Duration failingReminder,
    long arrayDiffBudget,
    Optional<String> applicationServer,
    Optional<Replay> replay,
    Properties kafka,
    RecordFormat outputFormat) {

  /**
   * A re-analysis of raw history: outputs go to {@code <outputPrefix>seismo.*} topics so live outputs
   * are untouched, raw polls and SSE events stamped before {@code from} or after {@code until} are
   * ignored, and so is every record at or beyond {@code endOffsets} (where the replay stops, per input
   * partition); wall-clock stall detection is off (the data is old by design).
   */
  public record Replay(String outputPrefix, Optional<Instant> from, Optional<Instant> until,
                       Map<TopicPartition, Long> endOffsets,
                       Map<String, Registration> currentRules) {

    /**
     * {@code currentRules}: each API's registration when the replay started, whose change rules (ignore,
     * select, unorderedArrays, arrayKeys, jsonPointer) the replay applies to the whole range, so history
     * can be re-analysed with rules changed since; an API not in it is analysed with the registration the
     * replay has read.
     */
    public Replay {
      endOffsets = Map.copyOf(endOffsets);
      currentRules = Map.copyOf(currentRules);
    }

    public Replay(String outputPrefix, Optional<Instant> from, Optional<Instant> until,
                  Map<TopicPartition, Long> endOffsets) {
      this(outputPrefix, from, until, endOffsets, Map.of());
    }

    /** A replay bounded by time only, at its end. */
    public Replay(String outputPrefix, Optional<Instant> until) {
      this(outputPrefix, Optional.empty(), until, Map.of());
    }
  }

  /** The name this topology writes {@code topic} under: prefixed in a replay. */
  public String outputTopic(String topic) {
    return replay.map(r -> r.outputPrefix() + topic).orElse(topic);
  }

  public TopologyConfig {
    Objects.requireNonNull(outputFormat, "outputFormat");
    Properties copy = new Properties();
    copy.putAll(kafka);
    kafka = copy;
  }

  public static TopologyConfig from(Settings settings) {
    return new TopologyConfig(
        settings.string("SEISMO_BOOTSTRAP_SERVERS", "localhost:9092"),
        settings.string("SEISMO_TOPOLOGY_APPLICATION_ID", "seismo-topology"),
        Path.of(settings.string("SEISMO_TOPOLOGY_STATE_DIR",
            Path.of(System.getProperty("java.io.tmpdir"), "seismo-streams").toString())),
        settings.integer("SEISMO_TOPOLOGY_THREADS", 2, 1, 64),
        settings.duration("SEISMO_TOPOLOGY_COMMIT_INTERVAL", Duration.ofMillis(500)),
        settings.integer("SEISMO_TOPOLOGY_FAILING_AFTER", 3, 1, 1000),
        settings.integer("SEISMO_TOPOLOGY_STALL_FACTOR", 3, 2, 1000),
        settings.duration("SEISMO_TOPOLOGY_STALL_CHECK", Duration.ofSeconds(5)),
        settings.duration("SEISMO_TOPOLOGY_INGEST_MAX_BACKOFF", Duration.ofMinutes(5)),
        settings.duration("SEISMO_TOPOLOGY_FAILING_REMINDER", Duration.ZERO),
        settings.bytes("SEISMO_TOPOLOGY_ARRAY_DIFF_BUDGET", 250_000, 1),
        Optional.empty(),
        Optional.empty(),
        settings.kafkaOverrides(),
        outputFormat(settings));
  }

  /** {@value RecordFormat#SETTING}: {@code avro} (the default) or {@code json}. */
  static RecordFormat outputFormat(Settings settings) {
    try {
      return RecordFormat.parse(settings.string(RecordFormat.SETTING, "avro"));
    } catch (IllegalArgumentException e) {
      throw new Settings.ConfigException(RecordFormat.SETTING, e.getMessage());
    }
  }

  /** The same config, advertising {@code hostPort} to other instances for interactive queries. */
  public TopologyConfig withApplicationServer(String hostPort) {
    return withApplicationServer(Optional.of(hostPort));
  }

  public TopologyConfig withApplicationServer(Optional<String> hostPort) {
    return new TopologyConfig(bootstrapServers, applicationId, stateDir, threads, commitInterval, failingAfter,
        stallFactor, stallCheck, ingestMaxBackoff, failingReminder, arrayDiffBudget, hostPort, replay, kafka, outputFormat);
  }

  public TopologyConfig withApplicationId(String id) {
    return new TopologyConfig(bootstrapServers, id, stateDir, threads, commitInterval, failingAfter,
        stallFactor, stallCheck, ingestMaxBackoff, failingReminder, arrayDiffBudget, applicationServer, replay, kafka, outputFormat);
  }

  public TopologyConfig withStateDir(Path dir) {
    return new TopologyConfig(bootstrapServers, applicationId, dir, threads, commitInterval, failingAfter,
        stallFactor, stallCheck, ingestMaxBackoff, failingReminder, arrayDiffBudget, applicationServer, replay, kafka, outputFormat);
  }

  public TopologyConfig withReplay(Optional<Replay> replay) {
    return new TopologyConfig(bootstrapServers, applicationId, stateDir, threads, commitInterval, failingAfter,
        stallFactor, stallCheck, ingestMaxBackoff, failingReminder, arrayDiffBudget, applicationServer, replay, kafka, outputFormat);
  }

  /** The same config as a replay under application id {@code id} with its own state directory, advertising nothing. */
  public TopologyConfig asReplay(String id, Path dir, Replay replay) {
    return withApplicationId(id).withStateDir(dir).withApplicationServer(Optional.empty()).withReplay(Optional.of(replay));
  }
}
