package io.seismo.topology.store;

/**
 * Keys of the executions store: a ring of {@link #SLOTS} slots per API ({@code apiId NUL slot}), so a
 * poll writes one small entry instead of rewriting a whole log, and a range read returns the lot.
 */
public final class ExecutionKeys {

  public static final int SLOTS = 50;
  private static final char SEPARATOR = '\u0000';

  private ExecutionKeys() {}

  /** The slot of the {@code n}-th sample (1-based) of {@code apiId}. */
  public static String key(String apiId, long n) {
    int slot = (int) Math.floorMod(n - 1, (long) SLOTS); // two digits, so keys sort by slot
    return apiId + SEPARATOR + (slot < 10 ? "0" : "") + slot;
  }

  /** Inclusive lower bound of the API's keys. */
  public static String from(String apiId) {
    return apiId + SEPARATOR;
  }

  /** Inclusive upper bound of the API's keys. */
  public static String to(String apiId) {
    return apiId + SEPARATOR + "99";
  }
}
