package io.seismo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.api.config.ApiConfig;
import io.seismo.runtime.config.Settings;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A control API that cannot start leaves nothing running: every client and thread it made is closed. */
class StartFailureTest {

  private static List<String> seismoThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith("seismo-api") || name.startsWith("kafka-producer-network-thread"))
        .sorted().toList();
  }

  @Test
  void shouldCloseEveryClientAndThreadItStartedWhenItsPortIsTaken() throws Exception {
    List<String> before = seismoThreads();
    try (ServerSocket taken = new ServerSocket(0)) {
      ApiConfig config = ApiConfig.from(new Settings(Map.of(
          "SEISMO_BOOTSTRAP_SERVERS", "localhost:1", // nothing there: the clients start and wait
          "SEISMO_API_PORT", Integer.toString(taken.getLocalPort()),
          "SEISMO_API_WRITE_TOKENS", "start-failure-token",
          "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("start-failure").toString())));

      assertThatThrownBy(() -> ControlApi.start(config)).isInstanceOf(RuntimeException.class);
    }

    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seismoThreads()).isEqualTo(before));
  }
}
