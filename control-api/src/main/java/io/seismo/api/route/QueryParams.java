package io.seismo.api.route;

import io.javalin.config.ValidationConfig;
import io.javalin.http.Context;
import io.javalin.validation.ValidationError;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.LogPage;
import io.seismo.topology.analysis.TimeWindow;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Query parameters read with Javalin's validators ({@code queryParamAsClass(...).check(...)}); a value that
 * fails answers 400 naming the parameter, what it accepts and what was sent. An absent parameter takes its
 * default; an empty one ({@code ?limit=}) is invalid.
 */
public final class QueryParams {

  /** Bounds of from/to: window stores key by epoch milliseconds, so nothing before 1970 or past year 9999. */
  static final Instant MIN_INSTANT = Instant.EPOCH;
  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");
  private static final String OUT_OF_RANGE = "OUT_OF_RANGE";

  private QueryParams() {}

  /** The converters these parameters use (Javalin knows numbers and strings, not instants or windows). */
  public static void register(ValidationConfig validation) {
    validation.register(Instant.class, Instant::parse);
    validation.register(TimeWindow.class, TimeWindow::parse);
  }

  /** An integer from {@code min} to {@code max}. */
  public static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
    return intParam(ctx, name, defaultValue, min, max, raw -> ProblemException.badRequest(
        "query parameter '" + name + "' must be an integer from " + min + " to " + max,
        List.of(new FieldError(name, "must be an integer from " + min + " to " + max + ", was '" + raw + "'"))));
  }

  /** An integer from {@code min} to {@code max}; {@code invalid} makes the problem of the raw value sent. */
  public static int intParam(Context ctx, String name, int defaultValue, int min, int max,
                             Function<String, ProblemException> invalid) {
    if (ctx.queryParam(name) == null) {
      return defaultValue;
    }
    return ctx.queryParamAsClass(name, Integer.class)
        .check(value -> value >= min && value <= max, OUT_OF_RANGE)
        .getOrThrow(errors -> invalid.apply(ctx.queryParam(name)));
  }

  /** One of {@code type}'s constants, in any case; null when absent. */
  public static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
    if (ctx.queryParam(name) == null) {
      return null;
    }
    String raw = ctx.queryParamAsClass(name, String.class)
        .check(value -> Arrays.stream(type.getEnumConstants()).anyMatch(c -> c.name().equalsIgnoreCase(value)), OUT_OF_RANGE)
        .getOrThrow(errors -> ProblemException.badRequest("query parameter '" + name + "' must be one of "
            + Arrays.toString(type.getEnumConstants()), List.of(new FieldError(name, "unknown value '" + ctx.queryParam(name) + "'"))));
    return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
  }

  /** {@code window}: 1m, 1h or 1d. */
  public static TimeWindow windowParam(Context ctx, TimeWindow defaultValue) {
    if (ctx.queryParam("window") == null) {
      return defaultValue;
    }
    return ctx.queryParamAsClass("window", TimeWindow.class).getOrThrow(errors -> {
      String message = cause(errors).getMessage();
      return ProblemException.badRequest(message, List.of(new FieldError("window", message)));
    });
  }

  /** An ISO-8601 instant from 1970 to the end of year 9999. */
  public static Instant instantParam(Context ctx, String name, Instant defaultValue) {
    if (ctx.queryParam(name) == null) {
      return defaultValue;
    }
    return ctx.queryParamAsClass(name, Instant.class)
        .check(instant -> !instant.isBefore(MIN_INSTANT) && !instant.isAfter(MAX_INSTANT), OUT_OF_RANGE)
        .getOrThrow(errors -> {
          String raw = ctx.queryParam(name);
          return isOutOfRange(errors)
              ? ProblemException.badRequest("query parameter '" + name + "' must be from " + MIN_INSTANT + " to " + MAX_INSTANT,
                  List.of(new FieldError(name, "out of range: '" + raw + "'")))
              : ProblemException.badRequest("query parameter '" + name + "' must be an ISO-8601 instant like 2026-11-24T12:00:00Z",
                  List.of(new FieldError(name, "not an ISO-8601 instant: '" + raw + "'")));
        });
  }

  /** {@code cursor}: the {@code next} of a previous log page ({@code <atMillis>-<entry>}); null when absent. */
  public static LogPage.Cursor cursorParam(Context ctx) {
    String raw = ctx.queryParam("cursor");
    try {
      return raw == null ? null : LogPage.Cursor.parse(raw);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("query parameter 'cursor' " + e.getMessage().replace("not ", "is not "),
          List.of(new FieldError("cursor", e.getMessage())));
    }
  }

  private static boolean isOutOfRange(Map<String, ? extends List<? extends ValidationError<?>>> errors) {
    return errors.values().stream().flatMap(List::stream).map(error -> (ValidationError<?>) error).anyMatch(error -> OUT_OF_RANGE.equals(error.getMessage()));
  }

  /** The converter's exception (a failed parse), or one saying the value could not be read. */
  private static Exception cause(Map<String, ? extends List<? extends ValidationError<?>>> errors) {
    return errors.values().stream().flatMap(List::stream).map(error -> (ValidationError<?>) error).map(ValidationError::exception)
        .filter(Objects::nonNull).findFirst().orElseGet(() -> new IllegalArgumentException("invalid value"));
  }
}
