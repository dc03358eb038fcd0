package io.seismo.topology;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.topology.config.TopologyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * {@link SeismoTopology} on a {@link TopologyTestDriver} with the service's streams properties and a new
 * temporary state directory, its topics typed by their {@link TopicSpec} and its stores by name. It lives
 * here rather than in test-support, which stream-topology's tests depend on.
 */
public final class TopologyFixture implements AutoCloseable {

  private final TopologyTestDriver driver;

  private TopologyFixture(TopologyConfig config, Instant start) {
    this.driver = new TopologyTestDriver(SeismoTopology.build(config), TopologyService.streamsProperties(config), start);
  }

  /** The topology configured by {@code settings}, its wall clock at {@code start}. */
  public static TopologyFixture start(Instant start, Map<String, String> settings) throws IOException {
    return start(start, config(settings));
  }

  /** The topology configured by {@code config} (a replay's, say), its wall clock at {@code start}. */
  public static TopologyFixture start(Instant start, TopologyConfig config) {
    return new TopologyFixture(config, start);
  }

  /** The configuration {@code settings} make, with a new temporary state directory. */
  public static TopologyConfig config(Map<String, String> settings) throws IOException {
    Map<String, String> all = new HashMap<>(settings);
    all.put("SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-ttd").toString());
    return TopologyConfig.from(new Settings(all));
  }

  public TopologyTestDriver driver() {
    return driver;
  }

  /** An input topic whose records are stamped when they are piped unless given a time. */
  public <K, V> TestInputTopic<K, V> input(TopicSpec<K, V> topic) {
    return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** An input topic whose records, piped without a time, are stamped from {@code start} on, {@code step} apart. */
  public <K, V> TestInputTopic<K, V> input(TopicSpec<K, V> topic, Instant start, Duration step) {
    return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
        start, step);
  }

  /** An input topic taking values as bytes (records its serde cannot decode). */
  public TestInputTopic<String, byte[]> rawInput(TopicSpec<String, ?> topic) {
    return driver.createInputTopic(topic.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  /**
   * What the topology writes to {@code topic}, decoded with its serdes (a replay's copy of an output topic:
   * {@code topic.named(prefix + topic.name())}).
   */
  public <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> topic) {
    return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
        topic.valueSerde().deserializer());
  }

  /** What the topology writes to {@code topic}, values as the bytes written (in the configured format). */
  public TestOutputTopic<String, byte[]> rawOutput(TopicSpec<String, ?> topic) {
    return driver.createOutputTopic(topic.name(), Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer());
  }

  public <V> KeyValueStore<String, V> store(String name) {
    return driver.getKeyValueStore(name);
  }

  public <V> WindowStore<String, V> windowStore(String name) {
    return driver.getWindowStore(name);
  }

  /** Moves the wall clock on: punctuations run, and the driver commits. */
  public void advanceWallClockTime(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  @Override
  public void close() {
    driver.close();
  }
}
