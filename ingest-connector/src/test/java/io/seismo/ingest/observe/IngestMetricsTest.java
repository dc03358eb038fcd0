package io.seismo.ingest.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /metrics of an ingest instance with many jobs: the per-job series stay bounded. */
class IngestMetricsTest {

  private static List<JobState> jobs(int up, int failing) {
    List<JobState> jobs = new ArrayList<>();
    for (int i = 0; i < up; i++) {
      jobs.add(new JobState("up-" + i, "poll", JobState.UP, 0));
    }
    for (int i = 0; i < failing; i++) {
      jobs.add(new JobState("failing-" + i, "poll", JobState.FAILING, 1 + i % 7));
    }
    return jobs;
  }

  private static List<String> perJob(String scrape) {
    return scrape.lines().filter(line -> line.startsWith("seismo_ingest_job_consecutive_failures{")).toList();
  }

  @Test
  void shouldShowOnlyFailingJobsWhenMostJobsAreUp() {
    try (IngestMetrics metrics = new IngestMetrics()) {
      metrics.bindJobs(() -> jobs(100_000, 10));

      String scrape = metrics.scrape();

      assertThat(perJob(scrape)).hasSize(10).allMatch(line -> line.contains("apiId=\"failing-"));
      assertThat(scrape.lines()).contains("seismo_ingest_jobs{kind=\"poll\",state=\"up\"} 100000.0",
          "seismo_ingest_jobs{kind=\"poll\",state=\"failing\"} 10.0");
    }
  }

  @Test
  void shouldKeepTheMostFailingJobsWhenMoreFailThanTheBound() {
    try (IngestMetrics metrics = new IngestMetrics()) {
      metrics.bindJobs(() -> jobs(10, 5_000));

      String scrape = metrics.scrape();

      assertThat(perJob(scrape)).hasSize(IngestMetrics.MAX_JOB_SERIES).allMatch(line -> line.endsWith(" 7.0"));
      assertThat(scrape.lines()).contains("seismo_ingest_jobs{kind=\"poll\",state=\"failing\"} 5000.0");
      metrics.bindJobs(() -> jobs(10, 3));
      assertThat(perJob(metrics.scrape())).as("series of recovered jobs go").hasSize(3);
    }
  }
}
