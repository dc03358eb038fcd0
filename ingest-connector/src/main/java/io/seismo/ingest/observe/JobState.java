package io.seismo.ingest.observe;

/**
 * The state of one job of this instance, as /metrics shows it: {@code kind} is {@code poll} or {@code sse};
 * {@code state} is {@code pending} (no poll or connection yet), {@code up} (the last poll succeeded or was
 * not modified; the stream is open) or {@code failing} (in backoff after failures; reconnecting).
 */
public record JobState(String apiId, String kind, String state, int consecutiveFailures) {

  public static final String PENDING = "pending";
  public static final String UP = "up";
  public static final String FAILING = "failing";
}
