package io.seismo.api.query;

import io.seismo.schemas.Execution;
import io.seismo.schemas.ExecutionKind;
import io.seismo.schemas.Source;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One page of an API's execution log, newest first: entries at or after {@code from} and before
 * {@code to}, of one source (polls or stream events) or both, older than the cursor when one is given.
 * The cursor names the last entry of the previous page ({@code <epochMillis>-<entry>}), so pages stay
 * put while new entries arrive.
 */
public record LogPage(List<Execution> items, Optional<String> next) {

  /** Newest first: by time, then by entry number (entries written before they were numbered have 0). */
  private static final Comparator<Execution> NEWEST_FIRST =
      Comparator.comparingLong(Execution::getAt).thenComparingLong(Execution::getEntry).reversed();
  private static final Pattern CURSOR = Pattern.compile("(-?\\d{1,19})-(\\d{1,19})");

  /** What to page through; {@code source} empty for both. */
  public record Query(Instant from, Instant to, Optional<Source> source, Optional<Cursor> after, int limit) {}

  /** The position after which a page starts: the last entry of the previous page. */
  public record Cursor(long at, long entry) {

    /** Parses a cursor as {@link #text()} writes it; throws IllegalArgumentException for anything else. */
    public static Cursor parse(String text) {
      Matcher matcher = CURSOR.matcher(text);
      if (!matcher.matches()) {
        throw new IllegalArgumentException("not a cursor from a previous page's 'next'");
      }
      try {
        return new Cursor(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a cursor from a previous page's 'next'");
      }
    }

    static Cursor of(Execution entry) {
      return new Cursor(entry.getAt(), entry.getEntry());
    }

    public String text() {
      return at + "-" + entry;
    }

    boolean isBefore(Execution entry) {
      return entry.getAt() < at || (entry.getAt() == at && entry.getEntry() < this.entry);
    }
  }

  public static LogPage of(List<Execution> entries, Query query) {
    long from = query.from().toEpochMilli();
    long to = query.to().toEpochMilli();
    List<Execution> matching = entries.stream()
        .filter(entry -> entry.getAt() >= from && entry.getAt() < to)
        .filter(entry -> query.source().map(source -> source == sourceOf(entry)).orElse(true))
        .filter(entry -> query.after().map(cursor -> cursor.isBefore(entry)).orElse(true))
        .sorted(NEWEST_FIRST)
        .limit(query.limit() + 1L)
        .toList();
    if (matching.size() <= query.limit()) {
      return new LogPage(matching, Optional.empty());
    }
    List<Execution> page = matching.subList(0, query.limit());
    return new LogPage(page, Optional.of(Cursor.of(page.getLast()).text()));
  }

  private static Source sourceOf(Execution entry) {
    return entry.getKind() == ExecutionKind.POLL ? Source.POLL : Source.SSE;
  }
}
