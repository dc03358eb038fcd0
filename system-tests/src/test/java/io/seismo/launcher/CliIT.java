package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.cli.Seismo;
import io.seismo.testsupport.SharedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The seismo CLI against the running stack. */
class CliIT {

  private final String api = TestStack.stack().apiUrl();
  private final DemoUpstream upstream = TestStack.upstream();

  record Run(int code, String out, String err) {}

  private Run seismo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    all[0] = "--api";
    all[1] = api;
    all[2] = "--token";
    all[3] = TestStack.WRITE_TOKEN;
    System.arraycopy(args, 0, all, 4, args.length);
    int code = Seismo.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldRegisterListShowStatusAndStopFromTheTerminal() {
    await().atMost(Duration.ofSeconds(60)).until(() -> new RestClient(api).get("/health/ready").status() == 200);
    String apiId = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    upstream.put("/" + apiId, "{\"hello\":\"world\"}");

    Run registered = seismo("register", upstream.url("/" + apiId), "--id", apiId, "--interval", "1s");
    assertThat(registered.code()).as(registered.err()).isZero();
    assertThat(registered.out()).contains("registered " + apiId + " (version 1)");

    assertThat(seismo("list", "--state", "RUNNING").out()).contains(apiId);
    await().atMost(Duration.ofSeconds(20)).until(() -> seismo("status", apiId).out().contains("state        RUNNING"));
    Run status = seismo("status", apiId);
    assertThat(status.out()).contains("payload      17 bytes");

    Run stopped = seismo("stop", apiId);
    assertThat(stopped.out()).contains(apiId + " desired state STOPPED (version 2)");

    Run duplicate = seismo("register", upstream.url("/" + apiId), "--id", apiId);
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

    Run replay = seismo("replay", "--from", from, "--to", Instant.now().toString(), "--app-id", appId,
        "--partitions", "2", "--timeout", "2m", "--bootstrap-servers", SharedKafkaBroker.bootstrapServers());

    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out()).containsPattern("replay " + appId + " done in [0-9.]+ s: [1-9][0-9]* raw polls and [0-9]+ SSE events re-analysed")
        .contains(appId + ".seismo.status");
    // the progress bar (not a terminal here: whole lines on stderr), last at 100% with nothing left
    assertThat(replay.err()).containsPattern("replay +100% .* (\\d+)/\\1 records .*records/s.*lag 0");

    Run badTime = seismo("replay", "--from", "yesterday");
    assertThat(badTime.code()).isEqualTo(1);
    assertThat(badTime.err().strip()).isEqualTo(
        "seismo: --from must be an ISO-8601 instant like 2026-11-24T12:00:00Z, was yesterday");
    assertThat(seismo("replay").code()).as("--from is required").isEqualTo(2);
  }
}
