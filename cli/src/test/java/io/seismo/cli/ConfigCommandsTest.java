package io.seismo.cli;

import static io.seismo.cli.FakeControlApi.json;
import static io.seismo.cli.FakeControlApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.cli.FakeControlApi.Bodies;
import io.seismo.cli.FakeControlApi.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply and export against a stand-in control API. */
class ConfigCommandsTest {

  @TempDir
  Path dir;

  private static final String ONE_PAGE = "{\"items\":[" + Bodies.registration("weather", 3, "RUNNING") + "],\"next\":null}";

  @Test
  void shouldPutWithIfMatchOfTheETagReadWhenApplyUpdatesARegistrationThatDiffers() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis?limit=500", json(200, ONE_PAGE));
      api.on("GET", "/apis/weather", json(200, Bodies.registration("weather", 3, "RUNNING")).withHeader("ETag", Bodies.ETAG_V3));
      api.on("PUT", "/apis/weather", json(200, Bodies.registration("weather", 4, "RUNNING")));
      Path file = Files.writeString(dir.resolve("apis.yaml"), """
          apis:
            - apiId: weather
              url: https://api.example.org/v1/weather
              pollIntervalMs: 300000
              headers: {Authorization: <redacted>}
          """);

      Run run = api.seismo("apply", "-f", file.toString());

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("  ~ weather (pollIntervalMs)", "updated weather (version 4)");
      assertThat(api.only("PUT", "/apis/weather").header("If-Match")).isEqualTo(Bodies.ETAG_V3);
      assertThat(api.only("PUT", "/apis/weather").json().path("pollIntervalMs").asLong()).isEqualTo(300_000);
    }
  }

  @Test
  void shouldNameEachRefusedItemByItsApiIdWhenTheBatchIsRefused() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis?limit=500", json(200, "{\"items\":[],\"next\":null}"));
      api.on("POST", "/apis:batch", problem(400, "invalid-request", "Invalid request",
          "nothing was registered: items[1].url must be an absolute http or https URL",
          "items[1].url", "must be an absolute http or https URL", "items", "at most 1000"));
      Path file = Files.writeString(dir.resolve("apis.yaml"), """
          apis:
            - {apiId: ok, url: https://example.org/ok}
            - {apiId: bad, url: ftp://example.org/bad}
          """);

      Run run = api.seismo("apply", "-f", file.toString());

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err().lines()).containsExactly(
          "seismo: HTTP 400: nothing was registered: items[1].url must be an absolute http or https URL (Invalid request)",
          "  bad url: must be an absolute http or https URL",
          "  items: at most 1000");
    }
  }

  @Test
  void shouldWriteAnApplyFileInJsonWhenExportIsAskedForJson() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis?limit=500", json(200, ONE_PAGE));

      Run run = api.seismo("export", "-o", "json");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(Bodies.parse(run.out()).path("apis").get(0).path("apiId").asText()).isEqualTo("weather");
      assertThat(Bodies.parse(run.out()).path("apis").get(0).has("version")).isFalse();
      assertThat(run.err()).contains("weather header Authorization is a literal secret");
    }
  }

  @Test
  void shouldStartBeforeThePrefixAndStopAtTheFirstApiPastItWhenExportIsGivenAPrefix() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      // "team-a-" starts after "team-a,~" ('-' - 1 is ','); the page goes on past the prefix, and has a next page
      api.on("GET", "/apis?limit=500&after=team-a%2C%7E", json(200, "{\"items\":[" + Bodies.registration("team-a-1", 1, "RUNNING")
          + "," + Bodies.registration("team-a-2", 1, "RUNNING") + "," + Bodies.registration("team-b-1", 1, "RUNNING")
          + "],\"next\":\"team-b-1\"}"));

      Run run = api.seismo("export", "--prefix", "team-a-", "-o", "json");

      assertThat(run.code()).as(run.err()).isZero();
      assertThat(Bodies.parse(run.out()).path("apis")).extracting(item -> item.path("apiId").asText())
          .containsExactly("team-a-1", "team-a-2");
      assertThat(api.requests()).as("no page past the prefix is read").hasSize(1);
    }
  }

  @Test
  void shouldWriteYamlByDefaultAndRefuseATableWhenExporting() throws Exception {
    try (FakeControlApi api = new FakeControlApi()) {
      api.on("GET", "/apis?limit=500", json(200, ONE_PAGE));

      Run yaml = api.seismo("export");
      Run table = api.seismo("export", "-o", "table");

      assertThat(yaml.out()).startsWith("apis:\n- apiId: weather\n");
      assertThat(table.code()).isEqualTo(2);
      assertThat(table.err()).contains("export writes an apply file");
    }
  }
}
