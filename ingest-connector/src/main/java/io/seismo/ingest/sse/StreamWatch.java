package io.seismo.ingest.sse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link ActivityInterceptor} sees of one SSE stream's bytes that okhttp-sse does not report:
 * when bytes last arrived (comments included, for read-idle detection) and the last {@code retry:}
 * field (the server's reconnection time, RFC/WHATWG SSE). Carried as the request's tag.
 */
final class StreamWatch {

  final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());
  /** Milliseconds from the last valid {@code retry:} field, or -1. */
  final AtomicLong retryMillis = new AtomicLong(-1);

  // line scanner state: the bytes of the current line so far, while it can still be "retry:<digits>"
  private int matched;   // how many bytes of "retry:" matched at the start of the line; -1: not a retry line
  private long value;
  private boolean digits;

  private static final byte[] FIELD = "retry:".getBytes(StandardCharsets.US_ASCII);

  /** Feeds the bytes of the stream as they arrive (called by one reader at a time). */
  void scan(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        if (matched == FIELD.length && digits) {
          retryMillis.set(value);
        }
        matched = 0;
        value = 0;
        digits = false;
      } else if (matched >= 0 && matched < FIELD.length) {
        matched = b == FIELD[matched] ? matched + 1 : -1;
      } else if (matched == FIELD.length) {
        if (b == ' ' && !digits && value == 0) {
          continue; // one optional space after the colon
        }
        if (b >= '0' && b <= '9' && value < 1_000_000_000L) {
          value = value * 10 + (b - '0');
          digits = true;
        } else {
          matched = -1; // not all ASCII digits: the field is ignored, as the spec says
        }
      }
    }
  }
}
