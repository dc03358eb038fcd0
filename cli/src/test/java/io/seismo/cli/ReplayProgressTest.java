package io.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.topology.replay.Replay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

  @Test
  void shouldShowRecordsDoneOfTheTotalRateAndLagWhenTheReplayReportsProgress() {
    StringWriter err = new StringWriter();
    try (ReplayCommand.ProgressLine line = new ReplayCommand.ProgressLine(new PrintWriter(err))) {
      line.accept(new Replay.Progress(0, 2_000, Duration.ofMillis(100)));
      line.accept(new Replay.Progress(500, 2_000, Duration.ofSeconds(1)));
      line.accept(new Replay.Progress(2_000, 2_000, Duration.ofSeconds(3)));
    }

    // not a terminal here: whole lines (the last when closed), not carriage-return redraws
    String last = err.toString().strip().lines().reduce((first, second) -> second).orElseThrow();
    assertThat(last).startsWith("replay 100%").contains("2000/2000 records").contains("records/s").contains("lag 0");
  }

  @Test
  void shouldEstimateTheTimeLeftFromTheRateSoFarWhenPartOfTheRangeIsDone() {
    Replay.Progress progress = new Replay.Progress(500, 2_000, Duration.ofSeconds(10));

    assertThat(progress.lag()).isEqualTo(1_500);
    assertThat(progress.recordsPerSecond()).isEqualTo(50.0);
    assertThat(progress.eta()).contains(Duration.ofSeconds(30));
    assertThat(new Replay.Progress(0, 2_000, Duration.ofSeconds(1)).eta()).isEmpty();
  }
}
