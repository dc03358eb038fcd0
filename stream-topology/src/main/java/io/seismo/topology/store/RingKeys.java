package io.seismo.topology.store;

/**
 * Keys of a bounded log kept as a ring of slots per API ({@code apiId NUL slot}): each entry is one
 * small write instead of a rewrite of the whole log, and a range read returns the lot. Slots are two
 * digits, so an API's keys sort together and never overlap another API's.
 */
public record RingKeys(int slots) {

  /** The 50 most recent executions (polls) of each API. */
  public static final RingKeys EXECUTIONS = new RingKeys(50);
  /** The 20 most recent changes of each API. */
  public static final RingKeys CHANGES = new RingKeys(20);

  private static final char SEPARATOR = '\u0000';

  public RingKeys {
    if (slots < 1 || slots > 100) {
      throw new IllegalArgumentException("a ring has 1 to 100 slots: " + slots);
    }
  }

  /** The slot of the {@code n}-th entry (1-based) of {@code apiId}. */
  public String key(String apiId, long n) {
    int slot = (int) Math.floorMod(n - 1, (long) slots);
    return apiId + SEPARATOR + (slot < 10 ? "0" : "") + slot;
  }

  /** Inclusive lower bound of the API's keys. */
  public String from(String apiId) {
    return apiId + SEPARATOR;
  }

  /** Inclusive upper bound of the API's keys. */
  public String to(String apiId) {
    return apiId + SEPARATOR + "99";
  }
}
