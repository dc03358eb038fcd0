package io.seismo.api.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The control API's listening socket has an accept queue the size of {@link ApiServer#ACCEPT_QUEUE} (or the
 * kernel's cap), read from the kernel with {@code ss}: with the JDK's default of 50, a burst of new
 * connections overflows it and Linux drops their SYNs, which the clients resend only after a second.
 */
class ListenBacklogTest {

  @Test
  void theStartedConnectorAsksForTheAcceptQueue() {
    try (RouteFixture fixture = new RouteFixture(10)) {
      assertThat(fixture.app().jettyServer().server().getConnectors())
          .hasSize(1)
          .allSatisfy(connector -> assertThat(((ServerConnector) connector).getAcceptQueueSize())
              .isEqualTo(ApiServer.ACCEPT_QUEUE));
    }
  }

  @Test
  void theKernelHoldsTheConfiguredAcceptQueue() throws Exception {
    Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
    assumeTrue(Files.isReadable(somaxconn), "Linux only");
    int cap = Integer.parseInt(Files.readAllLines(somaxconn).get(0).trim()); // readString reads 1 byte of procfs
    assumeTrue(cap > 50, "the kernel caps accept queues at the JDK's default: nothing to tell apart");
    try (RouteFixture fixture = new RouteFixture(10)) {
      assertThat(listenBacklog(fixture.port())).isEqualTo(Math.min(ApiServer.ACCEPT_QUEUE, cap));
    }
  }

  /** The Send-Q column of {@code ss -ltn} for a listening socket: its accept queue's size. */
  private static int listenBacklog(int port) throws IOException, InterruptedException {
    Process ss;
    try {
      ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
    } catch (IOException noSs) {
      assumeTrue(false, "ss (iproute2) is not installed");
      throw noSs;
    }
    assertThat(ss.waitFor(10, TimeUnit.SECONDS)).as("ss finished").isTrue();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    // a sandbox without socket diagnostics prints nothing or an error: the connector test still runs
    assumeTrue(out.startsWith("LISTEN"), "ss cannot list this socket here: " + out);
    return Integer.parseInt(out.split("\\s+")[2]);
  }
}
