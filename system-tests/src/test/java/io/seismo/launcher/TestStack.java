package io.seismo.launcher;

import io.seismo.runtime.config.Settings;
import io.seismo.testsupport.SharedKafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/** The whole Seismo stack and a demo upstream, on the shared broker, started once per test JVM. */
final class TestStack {

  static final String WRITE_TOKEN = "it-write-token";
  static final int PARTITIONS = 3;
  static final String NOTIFY_SECRET = "it-webhook-secret";

  private TestStack() {}

  static SeismoStack stack() {
    return Holder.STACK;
  }

  /** apiIds that fall {@code perPartition} times on every partition, so every instance of a group owns some. */
  static List<String> apiIdsOnEveryPartition(String prefix, int perPartition) {
    int[] counts = new int[PARTITIONS];
    List<String> apiIds = new ArrayList<>();
    while (apiIds.size() < perPartition * PARTITIONS) {
      String apiId = prefix + UUID.randomUUID().toString().substring(0, 8);
      int partition = Utils.toPositive(Utils.murmur2(
          apiId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      if (counts[partition] < perPartition) {
        counts[partition]++;
        apiIds.add(apiId);
      }
    }
    return apiIds;
  }

  static DemoUpstream upstream() {
    return Holder.UPSTREAM;
  }

  private static final class Holder {
    static final DemoUpstream UPSTREAM = DemoUpstream.start(0, 2, Clock.systemUTC());
    static final SeismoStack STACK = start();

    private static SeismoStack start() {
      try {
        Path state = Files.createTempDirectory("seismo-it-state");
        SeismoStack stack = SeismoStack.start(SharedKafkaBroker.bootstrapServers(), new Settings(Map.of(
            "SEISMO_API_PORT", "0",
            "SEISMO_API_WRITE_TOKENS", WRITE_TOKEN,
            "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
            "SEISMO_TOPOLOGY_STATE_DIR", state.toString(),
            "SEISMO_TOPOLOGY_THREADS", "1",
            "SEISMO_API_RATE_LIMIT", "100000",
            "SEISMO_NOTIFY_SECRET", NOTIFY_SECRET,
            // a joining instance (TwoInstancesIT) gets its share of tasks at once, however long the shared
            // stack's changelogs have grown by then (default: only once it has restored within 10,000 records)
            "SEISMO_KAFKA_ACCEPTABLE_RECOVERY_LAG", "1000000000")), PARTITIONS);
        SharedKafkaBroker.closeBeforeBroker(UPSTREAM);
        SharedKafkaBroker.closeBeforeBroker(stack);
        return stack;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
