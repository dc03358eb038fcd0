package io.seismo.topology.analysis;

import io.seismo.schemas.Measured;
import org.apache.avro.Schema;

/** Adds measured polling and streaming figures: every field is a count or a sum, but the maximum lead. */
public final class MeasuredSums {

  private static final int LEAD_MAX = Measured.getClassSchema().getField("streamLeadMaxMs").pos();

  private MeasuredSums() {}

  /** {@code total + delta} as a new record ({@code total} may be a stored value: never changed). */
  public static Measured plus(Measured total, Measured delta) {
    Measured sum = new Measured(); // every field is a long set below: no builder (it deep-copies) needed
    int fields = Measured.getClassSchema().getFields().size();
    for (int i = 0; i < fields; i++) {
      long value = (Long) total.get(i);
      long added = (Long) delta.get(i);
      sum.put(i, i == LEAD_MAX ? Math.max(value, added) : value + added);
    }
    return sum;
  }

  /** Adds {@code delta} to {@code total} in place. */
  public static void addTo(Measured total, Measured delta) {
    for (Schema.Field field : Measured.getClassSchema().getFields()) {
      int i = field.pos();
      long value = (Long) total.get(i);
      long added = (Long) delta.get(i);
      total.put(i, i == LEAD_MAX ? Math.max(value, added) : value + added);
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
