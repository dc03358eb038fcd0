package io.seismo.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run, in CI: the same {@link Chaos} as {@code scripts/chaos} for 3 minutes with 60 APIs
 * on 3 brokers, 2 ingest and 2 topology JVMs; every kind of blow lands at least once (the shuffled deck
 * holds each kind once), and the verifier must pass. {@link Chaos#run()} stops every child process in
 * its finally (and each child exits by itself when this JVM dies).
 */
@Tag("system") // ./mvnw verify -Psystem
class ChaosIT {

  @Test
  void shouldLoseAndDuplicateNothingWhenBrokersIngestAndTopologyAreKilled() throws Exception {
    Chaos.Options options = new Chaos.Options(3, 16, 60, Path.of("target", "chaos-it"), freeBasePort());

    Chaos.Outcome outcome = new Chaos(options).run();

    System.out.println(outcome.summary());
    Set<ChaosEvent.Kind> kinds = outcome.events().stream().map(ChaosEvent::kind).collect(Collectors.toSet());
    assertThat(kinds).as("every kind of blow landed").isEqualTo(EnumSet.allOf(ChaosEvent.Kind.class));
    assertThat(outcome.result().failures()).as(outcome.summary()).isEmpty();
    assertThat(outcome.summary()).endsWith("ALL CHECKS PASSED");
    assertThat((long) outcome.result().figures().get("samples")).isPositive();
    assertThat((long) outcome.result().figures().get("changes")).isPositive();
  }

  /** A base port with the 121 ports the cluster uses from it free now. */
  static int freeBasePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(400) * 100;
      if (free(base, 0, 1, 2, 10, 11, 12, 100, 101, 110, 111, 120)) {
        return base;
      }
    }
    throw new IOException("no free port range found");
  }

  private static boolean free(int base, int... offsets) {
    for (int offset : offsets) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + offset));
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
