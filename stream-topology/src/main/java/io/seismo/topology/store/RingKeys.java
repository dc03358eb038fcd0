package io.seismo.topology.store;

/**
 * Keys of a bounded log kept as a ring of slots per API ({@code apiId NUL slot}): each entry is one
 * small write instead of a rewrite of the whole log, and a range read returns the lot. Slots are two
 * digits, so an API's keys sort together and never overlap another API's.
 */
public record RingKeys(int slots) {

  /** The 500 most recent entries of each API's execution log (polls and stream connection events). */
  public static final RingKeys EXECUTIONS = new RingKeys(500);
  /** The ring of executions before it grew to 500: its two-digit keys are deleted with the API. */
  public static final RingKeys EXECUTIONS_BEFORE_500 = new RingKeys(50);
  /** The 20 most recent changes of each API. */
  public static final RingKeys CHANGES = new RingKeys(20);

  private static final char SEPARATOR = '\u0000';

  public RingKeys {
    if (slots < 1 || slots > 1000) {
      throw new IllegalArgumentException("a ring has 1 to 1000 slots: " + slots);
    }
  }

  /** The slot of the {@code n}-th entry (1-based) of {@code apiId}: two digits up to 100 slots, else three. */
  public String key(String apiId, long n) {
    int slot = (int) Math.floorMod(n - 1, (long) slots);
    String digits = Integer.toString(slot);
    return apiId + SEPARATOR + "0".repeat(Math.max(0, width() - digits.length())) + digits;
  }

  private int width() {
    return slots <= 100 ? 2 : 3;
  }

  /** Inclusive lower bound of the API's keys. */
  public String from(String apiId) {
    return apiId + SEPARATOR;
  }

  /** Inclusive upper bound of the API's keys (also above the keys of a smaller ring of the same API). */
  public String to(String apiId) {
    return apiId + SEPARATOR + "9".repeat(width());
  }
}
