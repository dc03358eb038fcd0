package io.seismo.topology.analysis;

import io.seismo.schemas.Measured;
import org.apache.avro.Schema;

/** Adds measured polling and streaming figures: every field is a count or a sum, but the maximum lead. */
public final class MeasuredSums {

  private static final int LEAD_MAX = Measured.getClassSchema().getField("streamLeadMaxMs").pos();
  private static final int FIELDS = Measured.getClassSchema().getFields().size();

  private MeasuredSums() {}

  /** {@code total + delta} as a new record ({@code total} may be a stored value: never changed). */
  public static Measured plus(Measured total, Measured delta) {
    Measured sum = new Measured(); // every field is a long set below: no builder (it deep-copies) needed
    sum(sum, total, delta);
    return sum;
  }

  /** Adds {@code delta} to {@code total} in place. */
  public static void addTo(Measured total, Measured delta) {
    sum(total, total, delta);
  }

  /** Writes {@code a + b} into {@code into}, field by field: sums, but the maximum lead. */
  private static void sum(Measured into, Measured a, Measured b) {
    for (int i = 0; i < FIELDS; i++) {
      long value = (Long) a.get(i);
      long added = (Long) b.get(i);
      into.put(i, i == LEAD_MAX ? Math.max(value, added) : value + added);
    }
  }

  /** True when nothing was measured (a delta not worth writing). */
  public static boolean isEmpty(Measured measured) {
    for (Schema.Field field : Measured.getClassSchema().getFields()) {
      if ((Long) measured.get(field.pos()) != 0) {
        return false;
      }
    }
    return true;
  }
}
