package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.testsupport.SharedKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The seismo CLI against the running stack. */
class CliIT {

  private final String api = TestStack.stack().apiUrl();
  private final DemoUpstream upstream = TestStack.upstream();

  private CliRun seismo(String... args) {
    return CliRun.seismo(api, args);
  }

  @Test
  void shouldRegisterListShowStatusAndStopFromTheTerminal() {
    await().atMost(Duration.ofSeconds(60)).until(() -> new RestClient(api).get("/health/ready").status() == 200);
    String apiId = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    upstream.put("/" + apiId, "{\"hello\":\"world\"}");

    CliRun registered = seismo("register", upstream.url("/" + apiId), "--id", apiId, "--interval", "1s");
    assertThat(registered.code()).as(registered.err()).isZero();
    assertThat(registered.out()).contains("registered " + apiId + " (version 1)");

    assertThat(seismo("list", "--state", "RUNNING").out()).contains(apiId);
    await().atMost(Duration.ofSeconds(20)).until(() -> seismo("status", apiId).out().contains("state        RUNNING"));
    CliRun status = seismo("status", apiId);
    assertThat(status.out()).contains("payload      17 bytes");

    CliRun stopped = seismo("stop", apiId);
    assertThat(stopped.out()).contains(apiId + " desired state STOPPED (version 2)");

    CliRun duplicate = seismo("register", upstream.url("/" + apiId), "--id", apiId);
    assertThat(duplicate.code()).isEqualTo(1);
    assertThat(duplicate.err().strip()).startsWith("seismo: HTTP 409: an API with apiId '" + apiId + "' is already registered");
    assertThat(seismo("status", "nope-" + apiId).err()).contains("HTTP 404");
  }

  @Test
  void shouldReplayRawHistoryIntoItsOwnTopicsAndRefuseBadTimes() {
    await().atMost(Duration.ofSeconds(60)).until(() -> new RestClient(api).get("/health/ready").status() == 200);
    String apiId = "cli-replay-" + UUID.randomUUID().toString().substring(0, 8);
    upstream.put("/" + apiId, "{\"n\":1}");
    String from = Instant.now().minusSeconds(1).toString();
    assertThat(seismo("register", upstream.url("/" + apiId), "--id", apiId, "--interval", "1s").code()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> seismo("status", apiId).out().contains("state        RUNNING"));
    String appId = "cli-replay-" + UUID.randomUUID().toString().substring(0, 6);

    CliRun replay = seismo("replay", "--from", from, "--to", Instant.now().toString(), "--app-id", appId,
        "--partitions", "2", "--timeout", "2m", "--bootstrap-servers", SharedKafkaBroker.bootstrapServers());

    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out()).containsPattern("replay " + appId + " done in [0-9.]+ s: [1-9][0-9]* raw polls and [0-9]+ SSE events re-analysed")
        .contains(appId + ".seismo.status");
    // the progress bar (not a terminal here: whole lines on stderr), last at 100% with nothing left
    assertThat(replay.err()).containsPattern("replay +100% .* (\\d+)/\\1 records .*records/s.*lag 0");

    CliRun badTime = seismo("replay", "--from", "yesterday");
    assertThat(badTime.code()).isEqualTo(1);
    assertThat(badTime.err().strip()).isEqualTo(
        "seismo: --from must be an ISO-8601 instant like 2026-11-24T12:00:00Z, was yesterday");
    assertThat(seismo("replay").code()).as("--from is required").isEqualTo(2);
  }
}
