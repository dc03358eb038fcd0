package io.seismo.topology.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.Measured;
import io.seismo.schemas.Sightings;
import io.seismo.schemas.Source;
import org.junit.jupiter.api.Test;

class FreshnessTest {

  private final Sightings sightings = Sightings.newBuilder().build();
  private final Measured measured = Measured.newBuilder().build();

  @Test
  void shouldCountTheStreamsLeadWhenPollingSeesAVersionLater() {
    Freshness.see(sightings, measured, Source.SSE, "v1", 1_000, true);
    Freshness.see(sightings, measured, Source.POLL, "v1", 1_500, true);
    Freshness.see(sightings, measured, Source.SSE, "v2", 10_000, false);
    Freshness.see(sightings, measured, Source.POLL, "v2", 12_400, false);
    Freshness.see(sightings, measured, Source.SSE, "v3", 20_000, false);
    Freshness.see(sightings, measured, Source.POLL, "v3", 20_600, false);

    assertThat(measured.getMatched()).isEqualTo(2);            // the baselines say nothing about speed
    assertThat(measured.getStreamFirst()).isEqualTo(2);
    assertThat(measured.getPollFirst()).isZero();
    assertThat(measured.getStreamLeadSumMs()).isEqualTo(2_400 + 600);
    assertThat(measured.getStreamLeadMaxMs()).isEqualTo(2_400);
    assertThat(measured.getStreamVersions()).isEqualTo(2);
    assertThat(measured.getPollVersions()).isEqualTo(2);
    assertThat(sightings.getPending()).isEmpty();
  }

  @Test
  void shouldCountANegativeLeadWhenPollingIsFirst() {
    Freshness.see(sightings, measured, Source.POLL, "v2", 5_000, false);
    Freshness.see(sightings, measured, Source.SSE, "v2", 5_300, false);

    assertThat(measured.getPollFirst()).isEqualTo(1);
    assertThat(measured.getStreamLeadSumMs()).isEqualTo(-300);
    assertThat(measured.getStreamLeadMaxMs()).isZero();
  }

  @Test
  void shouldCountVersionsPollingNeverSawWhenTheStreamMovedOnBetweenPolls() {
    Freshness.see(sightings, measured, Source.SSE, "v2", 1_000, false);
    Freshness.see(sightings, measured, Source.SSE, "v3", 2_000, false);
    Freshness.see(sightings, measured, Source.SSE, "v4", 3_000, false);
    Freshness.see(sightings, measured, Source.POLL, "v4", 3_500, false);

    assertThat(measured.getMissedByPolling()).isEqualTo(2);
    assertThat(measured.getMatched()).isEqualTo(1);
    assertThat(measured.getStreamLeadSumMs()).isEqualTo(500);
    assertThat(sightings.getPending()).isEmpty();
  }

  @Test
  void shouldKeepABoundedNumberOfVersionsWaitingAndCountTheOldestAsMissed() {
    for (int i = 0; i < Freshness.MAX_PENDING + 5; i++) {
      Freshness.see(sightings, measured, Source.POLL, "p" + i, i, false);
    }

    assertThat(sightings.getPending()).hasSize(Freshness.MAX_PENDING);
    assertThat(measured.getMissedByStream()).isEqualTo(5);
  }

  @Test
  void shouldAddMeasuredFiguresFieldByFieldAndKeepTheLargestLead() {
    Measured total = Measured.newBuilder().setPollBytes(100).setStreamLeadMaxMs(900).build();
    Measured sum = MeasuredSums.plus(total, Measured.newBuilder().setPollBytes(50).setStreamBytes(7)
        .setStreamLeadMaxMs(400).setMatched(1).build());

    assertThat(sum.getPollBytes()).isEqualTo(150);
    assertThat(sum.getStreamBytes()).isEqualTo(7);
    assertThat(sum.getMatched()).isEqualTo(1);
    assertThat(sum.getStreamLeadMaxMs()).isEqualTo(900);
    assertThat(total.getPollBytes()).isEqualTo(100); // the stored value is not changed
  }
}
