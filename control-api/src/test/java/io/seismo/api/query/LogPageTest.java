package io.seismo.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.schemas.Execution;
import io.seismo.schemas.ExecutionKind;
import io.seismo.schemas.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LogPageTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  /** 30 entries one second apart, every third a stream event, in ring (not time) order. */
  private static List<Execution> log() {
    List<Execution> entries = new ArrayList<>();
    for (int n = 1; n <= 30; n++) {
      entries.add(Execution.newBuilder().setEntry(n).setSequence(n).setAt(T0.plusSeconds(n).toEpochMilli())
          .setKind(n % 3 == 0 ? ExecutionKind.SSE_OPEN : ExecutionKind.POLL).build());
    }
    Collections.rotate(entries, 7);
    return entries;
  }

  private static LogPage.Query query(int limit, Optional<String> cursor) {
    return new LogPage.Query(Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z"), Optional.empty(),
        cursor.map(LogPage.Cursor::parse), limit);
  }

  @Test
  void shouldPageNewestFirstWithoutGapsOrRepeatsWhenFollowingTheCursor() {
    List<Long> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      LogPage page = LogPage.of(log(), query(7, cursor));
      page.items().forEach(entry -> seen.add(entry.getEntry()));
      cursor = page.next();
      pages++;
    } while (cursor.isPresent());

    assertThat(pages).isEqualTo(5);
    assertThat(seen).containsExactlyElementsOf(LongStream.iterate(30, n -> n - 1).limit(30).boxed().toList());
  }

  @Test
  void shouldKeepAPageInPlaceWhenNewerEntriesArrive() {
    LogPage first = LogPage.of(log(), query(10, Optional.empty()));
    List<Execution> grown = new ArrayList<>(log());
    grown.add(Execution.newBuilder().setEntry(31).setSequence(31).setAt(T0.plusSeconds(31).toEpochMilli()).build());

    LogPage second = LogPage.of(grown, query(10, first.next()));

    assertThat(second.items()).extracting(Execution::getEntry).startsWith(20L).hasSize(10);
  }

  @Test
  void shouldFilterByTimeRangeAndSource() {
    LogPage page = LogPage.of(log(), new LogPage.Query(T0.plusSeconds(10), T0.plusSeconds(20), Optional.of(Source.SSE),
        Optional.empty(), 50));

    assertThat(page.items()).extracting(Execution::getEntry).containsExactly(18L, 15L, 12L); // 20 excluded: 'to' is exclusive
    assertThat(page.next()).isEmpty();
  }

  @Test
  void shouldRefuseACursorItDidNotWrite() {
    assertThatThrownBy(() -> LogPage.Cursor.parse("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogPage.Cursor.parse("99999999999999999999-1")).isInstanceOf(IllegalArgumentException.class);
    assertThat(LogPage.Cursor.parse("1764756000000-12")).isEqualTo(new LogPage.Cursor(1764756000000L, 12));
  }
}
