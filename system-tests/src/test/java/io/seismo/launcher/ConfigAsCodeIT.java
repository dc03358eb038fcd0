package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** seismo apply / export against the running stack: idempotent, prunes within a prefix, round-trips. */
class ConfigAsCodeIT {

  private final String api = TestStack.stack().apiUrl();
  private final RestClient rest = new RestClient(api);

  private CliRun seismo(String... args) {
    return CliRun.seismo(api, args);
  }

  @Test
  void shouldCreateUpdateAndPruneIdempotentlyWhenAFileIsApplied() throws Exception {
    await().atMost(Duration.ofSeconds(240)).until(() -> rest.get("/health/ready").status() == 200);
    String p = "cac-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    Path dir = Files.createTempDirectory("seismo-apply");
    Path v1 = dir.resolve("apis.yaml");
    Files.writeString(v1, """
        apis:
          - apiId: %sa
            url: https://example.org/a
            pollIntervalMs: 3600000
            desiredState: STOPPED
            headers:
              Authorization: Bearer ${env:SEISMO_SECRET_CAC_TOKEN}
          - apiId: %sb
            url: https://example.org/b
            desiredState: STOPPED
          - apiId: %sc
            url: https://example.org/c
            desiredState: STOPPED
            jsonPointer: /data
        """.formatted(p, p, p));

    CliRun dry = seismo("apply", "-f", v1.toString(), "--prefix", p, "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).startsWith("plan: 3 to create, 0 to update, 0 to delete, 0 unchanged").contains("  + " + p + "a");
    assertThat(rest.get("/apis/" + p + "a").status()).as("a dry run writes nothing").isEqualTo(404);

    CliRun applied = seismo("apply", "-f", v1.toString(), "--prefix", p);
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("applied: 3 created, 0 updated, 0 deleted");
    JsonNode a = rest.get("/apis/" + p + "a").json();
    assertThat(a.path("headers").path("Authorization").asText()).isEqualTo("Bearer ${env:SEISMO_SECRET_CAC_TOKEN}");

    CliRun again = seismo("apply", "-f", v1.toString(), "--prefix", p);
    assertThat(again.out()).as("idempotent").startsWith("plan: 0 to create, 0 to update, 0 to delete, 3 unchanged")
        .contains("applied: 0 created, 0 updated, 0 deleted");
    assertThat(rest.get("/apis/" + p + "a").json().path("version").asLong()).isEqualTo(1);

    // export: the reference, never a resolved value; no server fields; applied back it changes nothing
    CliRun exported = seismo("export", "--prefix", p);
    assertThat(exported.code()).as(exported.err()).isZero();
    assertThat(exported.out()).contains("${env:SEISMO_SECRET_CAC_TOKEN}").doesNotContain("version").doesNotContain("createdAt")
        .contains(p + "a", p + "b", p + "c");
    Path back = dir.resolve("exported.yaml");
    Files.writeString(back, exported.out());
    assertThat(seismo("apply", "-f", back.toString(), "--prefix", p).out())
        .startsWith("plan: 0 to create, 0 to update, 0 to delete, 3 unchanged");
    CliRun json = seismo("export", "--prefix", p, "-o", "json");
    assertThat(new ObjectMapper().readTree(json.out()).path("apis")).hasSize(3);
    Path backJson = dir.resolve("exported.json");
    Files.writeString(backJson, json.out());
    assertThat(seismo("apply", "-f", backJson.toString(), "--prefix", p).out())
        .startsWith("plan: 0 to create, 0 to update, 0 to delete, 3 unchanged");

    // a served registration (GET body, with version and times) is accepted as an entry too
    Path v2 = dir.resolve("v2.json");
    JsonNode served = rest.get("/apis/" + p + "c").json();
    Files.writeString(v2, "{\"apis\":[{\"apiId\":\"" + p + "a\",\"url\":\"https://example.org/a2\",\"pollIntervalMs\":3600000,"
        + "\"desiredState\":\"STOPPED\",\"headers\":{\"Authorization\":\"Bearer ${env:SEISMO_SECRET_CAC_TOKEN}\"}},"
        + served + "]}");
    CliRun pruned = seismo("apply", "-f", v2.toString(), "--prefix", p, "--prune");
    assertThat(pruned.code()).as(pruned.err()).isZero();
    assertThat(pruned.out()).startsWith("plan: 0 to create, 1 to update, 1 to delete, 1 unchanged")
        .contains("  ~ " + p + "a (url)", "  - " + p + "b", "applied: 0 created, 1 updated, 1 deleted");
    assertThat(rest.get("/apis/" + p + "b").status()).isEqualTo(404);
    assertThat(rest.get("/apis/" + p + "a").json().path("url").asText()).isEqualTo("https://example.org/a2");
    assertThat(rest.get("/apis/" + p + "a").json().path("version").asLong()).isEqualTo(2);
  }

  @Test
  void shouldPrintTheServersProblemAndWriteNothingWhenAnEntryIsInvalid() throws Exception {
    await().atMost(Duration.ofSeconds(240)).until(() -> rest.get("/health/ready").status() == 200);
    String p = "cac-bad-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    Path file = Files.createTempFile("seismo-apply", ".yaml");
    Files.writeString(file, """
        apis:
          - apiId: %sok
            url: https://example.org/ok
          - apiId: %sbad
            url: ftp://example.org/bad
            pollIntervalMs: 10
        """.formatted(p, p));

    CliRun run = seismo("apply", "-f", file.toString(), "--prefix", p);

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("seismo: HTTP 400: nothing was registered: items[1].url must be an absolute http")
        .contains(p + "bad url: must be an absolute http or https URL")
        .contains(p + "bad pollIntervalMs: must be between 1000 and 86400000 milliseconds, was 10");
    assertThat(rest.get("/apis/" + p + "ok").status()).isEqualTo(404);

    Files.writeString(file, "apis:\n  - url: https://example.org/\n");
    CliRun shape = seismo("apply", "-f", file.toString());
    assertThat(shape.code()).isEqualTo(1);
    assertThat(shape.err().strip()).isEqualTo("seismo: " + file + ": apis[0] must be an object with a string apiId");
  }
}
