package io.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SeismoTest {

  @Test
  void shouldFailWithOneClearLineAndExitOneWhenApiIsUnreachable() {
    StringWriter err = new StringWriter();

    int code = Seismo.run(new String[] {"--api", "http://127.0.0.1:1", "status", "x"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err, true));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("seismo: cannot reach the control API at http://127.0.0.1:1")
        .doesNotContain("\n");
  }

  @Test
  void shouldExitTwoOnBadUsage() {
    StringWriter err = new StringWriter();

    int code = Seismo.run(new String[] {"register"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter");
  }

  @Test
  void shouldDeriveIdAndParseDurations() {
    assertThat(Seismo.Register.deriveId("https://api.example.org/v1/Weather?x=1")).isEqualTo("api.example.org-v1-weather");
    assertThat(Seismo.Durations.millis("5s")).isEqualTo(5_000);
    assertThat(Seismo.Durations.millis("2m")).isEqualTo(120_000);
    assertThat(Seismo.Durations.millis("250ms")).isEqualTo(250);
  }
}
