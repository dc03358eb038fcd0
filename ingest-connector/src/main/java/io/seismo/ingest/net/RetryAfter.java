package io.seismo.ingest.net;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Response;

/** The wait a 429 or 503 answer asks for in its {@code Retry-After} header (RFC 9110: seconds or an HTTP date). */
public final class RetryAfter {

  private RetryAfter() {}

  /** The wait asked for; empty for another status, no header or a value that is neither form. */
  public static Optional<Duration> of(Response response) {
    if (response.code() != 429 && response.code() != 503) {
      return Optional.empty();
    }
    String value = response.header("Retry-After");
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(Instant.now(), at.toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }
}
