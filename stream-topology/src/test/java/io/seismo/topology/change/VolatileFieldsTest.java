package io.seismo.topology.change;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.FieldFrequency;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VolatileFieldsTest {

  @Test
  void shouldSuggestIgnoringPathsThatChangeEverySampleWhenTheRestIsCalm() {
    FieldFrequency window = FieldTable.empty("a", "1h", 0, 3_600_000);
    for (int i = 0; i < 20; i++) {
      FieldTable.add(window, i, true, true, i % 10 == 0 ? List.of("/meta/ts", "/meta/requestId", "/price")
          : List.of("/meta/ts", "/meta/requestId"));
    }
    assertThat(VolatileFields.suggest(window)).extracting(VolatileFields.Suggestion::pattern)
        .containsExactly("/meta/requestId", "/meta/ts");
  }

  @Test
  void shouldSuggestNothingWhenTheDocumentIsBusyOrSamplesAreFew() {
    FieldFrequency busy = FieldTable.empty("a", "1h", 0, 3_600_000);
    IntStream.range(0, 20).forEach(i -> FieldTable.add(busy, i, true, true, i % 3 == 0 ? List.of("/ts") : List.of("/ts", "/price")));
    assertThat(VolatileFields.suggest(busy)).isEmpty();
    FieldFrequency few = FieldTable.empty("a", "1h", 0, 3_600_000);
    IntStream.range(0, 5).forEach(i -> FieldTable.add(few, i, true, true, List.of("/ts")));
    assertThat(VolatileFields.suggest(few)).isEmpty();
  }

  @Test
  void shouldStayBoundedAndCountEvictionsAsOtherWhenPathsNeverRepeat() {
    FieldFrequency window = FieldTable.empty("a", "1m", 0, 60_000);
    for (int i = 0; i < 1_000; i++) {
      FieldTable.add(window, i, true, true, List.of("/steady", "/by-time/" + i));
    }
    assertThat(window.getPaths()).hasSize(FieldTable.MAX_PATHS);
    assertThat(FieldTable.ranked(window).getFirst().getPath()).isEqualTo("/steady");
    assertThat(FieldTable.ranked(window).getFirst().getChanges()).isEqualTo(1_000);
    long kept = window.getPaths().stream().mapToLong(p -> p.getChanges()).sum();
    assertThat(kept + window.getOtherChanges()).isEqualTo(2_000); // no change lost, none counted twice
    assertThat(window.getOtherPaths()).isEqualTo(1_000 - (FieldTable.MAX_PATHS - 1));
    assertThat(window.getSamples()).isEqualTo(1_000);
  }
}
