package io.seismo.topology.store;

import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Copies of Avro records to change instead of the values a write-behind store holds (which others may
 * be reading): the same field values in a new object, nested values shared — so a nested value is
 * replaced, never changed in place. Far cheaper than a deep copy or a serialization.
 */
public final class ShallowCopy {

  private ShallowCopy() {}

  public static <T extends SpecificRecordBase> T of(T record, Supplier<T> empty) {
    T copy = empty.get();
    int fields = record.getSchema().getFields().size();
    for (int i = 0; i < fields; i++) {
      copy.put(i, record.get(i));
    }
    return copy;
  }
}
