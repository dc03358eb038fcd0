package io.seismo.api.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void shouldReadSamplesWithLabelsWhenTheExpositionIsMicrometers() {
    String text = """
        # HELP seismo_ingest_jobs jobs of this instance by kind and state
        # TYPE seismo_ingest_jobs gauge
        seismo_ingest_jobs{kind="poll",state="up",} 3.0
        seismo_ingest_job_consecutive_failures{apiId="demo-\\"q\\"",kind="poll",} 0.0
        seismo_ingest_schedule_lag_seconds_max 0.012
        seismo_ingest_outage_buffer_bytes 6.7108864E7
        up NaN
        broken{kind="poll" 1
        """;

    List<PrometheusText.Sample> samples = PrometheusText.parse(text);

    assertThat(samples).hasSize(5);
    assertThat(samples.get(0)).isEqualTo(new PrometheusText.Sample("seismo_ingest_jobs",
        Map.of("kind", "poll", "state", "up"), 3.0));
    assertThat(samples.get(1).labels()).containsEntry("apiId", "demo-\"q\"");
    assertThat(samples.get(2).value()).isEqualTo(0.012);
    assertThat(samples.get(3).value()).isEqualTo(67108864.0);
    assertThat(samples.get(4).value()).isNaN();
  }

  @Test
  void shouldSkipLinesWhenTheyAreNotSamples() {
    assertThat(PrometheusText.parse("\n# comment\nname\nname{a=1} 2\nname x\n")).isEmpty();
  }
}
