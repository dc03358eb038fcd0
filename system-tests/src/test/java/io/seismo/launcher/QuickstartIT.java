package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The first command a user runs, as they run it: the Quickstart main class on the packaged runtime
 * classpath (scripts/launcher/target/classpath.txt, the one scripts/quickstart uses), in its own JVM with its own broker;
 * then the dashboard it serves, in a real headless Chromium.
 */
@Tag("system") // ./mvnw verify -Psystem
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartIT {

  static final String WRITE_TOKEN = "quickstart-it-token";
  private static final Pattern API = Pattern.compile("Control API\\s+(http://localhost:\\d+)");
  private static final Pattern UPSTREAM = Pattern.compile("Demo upstream\\s+(http://localhost:\\d+)");

  private Process quickstart;
  private int kafkaPort;
  private final AtomicReference<String> apiUrl = new AtomicReference<>();
  private final AtomicReference<String> upstreamUrl = new AtomicReference<>();
  private final StringBuffer banner = new StringBuffer();

  /** A free port whose successor is free too: the quickstart's broker takes the port and its controller the next. */
  private static int freePortPair() throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket broker = new ServerSocket(0)) {
        try (ServerSocket controller = new ServerSocket(broker.getLocalPort() + 1)) {
          return broker.getLocalPort();
        } catch (IOException taken) {
          if (attempt == 50) {
            throw taken;
          }
        }
      }
    }
  }

  @BeforeAll
  void startQuickstart() throws Exception {
    Path launcher = Path.of("..", "scripts", "launcher", "target").toAbsolutePath().normalize(); // packaged before this module
    Path classpath = launcher.resolve("classpath.txt");
    assertThat(classpath).exists();
    Path home = Files.createTempDirectory("quickstart-it");
    kafkaPort = freePortPair();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=log4j2.xml",
        "-cp", launcher.resolve("classes") + ":" + Files.readString(classpath).strip(), Quickstart.class.getName(), "--fresh")
        .redirectErrorStream(true);
    builder.environment().put("SEISMO_API_PORT", "0");
    builder.environment().put("SEISMO_DEMO_PORT", "0");
    builder.environment().put("SEISMO_API_WRITE_TOKENS", WRITE_TOKEN);
    builder.environment().put("SEISMO_QUICKSTART_KAFKA_PORT", Integer.toString(kafkaPort));
    builder.environment().put("SEISMO_QUICKSTART_DIR", home.toString());
    quickstart = builder.start();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(quickstart.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (!line.startsWith("{")) {
            banner.append(line).append('\n');
          }
          capture(API, line, apiUrl);
          capture(UPSTREAM, line, upstreamUrl);
        }
      } catch (IOException ended) {
        // the process ended
      }
    });
    await().atMost(Duration.ofMinutes(4)).until(() -> apiUrl.get() != null || !quickstart.isAlive());
    assertThat(quickstart.isAlive()).as(banner.toString()).isTrue();
  }

  private static void capture(Pattern pattern, String line, AtomicReference<String> into) {
    Matcher matcher = pattern.matcher(line);
    if (matcher.find()) {
      into.set(matcher.group(1));
    }
  }

  @Test
  @Order(1)
  void shouldBringUpTheDemo() {
    RestClient rest = new RestClient(apiUrl.get());
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      RestClient.Answer ticker = rest.get("/apis/demo-ticker/status");
      RestClient.Answer stream = rest.get("/apis/demo-stream/status");
      return ticker.status() == 200 && ticker.json().path("samples").asLong() >= 3
          && stream.status() == 200 && stream.json().path("samples").asLong() >= 1;
    });
    assertThat(banner).contains("Seismo is running").contains("Dashboard").contains("Webhook secret    whsec_");
    // mode BOTH: the ticker polled and streamed, each change matched between the two
    JsonNode both = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> rest.get("/apis/demo-both/status").json(), s -> s.path("measured").path("matched").asLong() >= 2);
    JsonNode measured = both.path("measured");
    assertThat(measured.path("streamBytes").asLong()).isPositive();
    assertThat(measured.path("pollBytes").asLong()).isPositive();
    assertThat(measured.path("streamLeadMeanMs").asDouble()).as("the stream pushes each change first").isPositive();
    assertThat(measured.path("summary").asText()).startsWith("Streaming delivered ");
    assertThat(both.path("changes").asLong()).as("polling is the API's series: its changes only")
        .isEqualTo(measured.path("pollVersions").asLong());
  }

  @Test
  @Order(2)
  void dashboardShowsTheDemoLive() throws Exception {
    DashboardBrowserCheck.run(apiUrl.get(), upstreamUrl.get(), WRITE_TOKEN, "localhost:" + kafkaPort);
  }

  @AfterAll
  void stopQuickstart() throws Exception {
    quickstart.destroy(); // SIGTERM, as Ctrl-C
    boolean stopped = quickstart.waitFor(45, TimeUnit.SECONDS);
    quickstart.descendants().forEach(ProcessHandle::destroyForcibly);
    assertThat(stopped).as("stopped within 45 s").isTrue();
    assertThat(quickstart.exitValue()).isIn(0, 130, 143);
  }
}
