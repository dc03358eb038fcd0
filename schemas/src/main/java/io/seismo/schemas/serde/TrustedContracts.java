package io.seismo.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro to trust the generated contracts of {@code io.seismo.schemas}: since 1.12 Avro refuses to load a
 * record class by name (nested records, enums, copies, reads) unless its package is trusted. Every generated
 * record calls {@link #ensure()} when it is initialised (our copy of Avro's record template), so code that uses a
 * generated class (its decoder, builder, schema or {@code SpecificDatumReader<>(Type.class)}) needs no
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES}. Code that reads with a parsed schema alone calls this first.
 */
public final class TrustedContracts {

  /** The package of the generated records and enums. */
  public static final String PACKAGE = "io.seismo.schemas";

  private static boolean trusted;

  private TrustedContracts() {}

  /** Adds the contracts' package to Avro's global class validator, once per class loader. */
  public static synchronized void ensure() {
    if (!trusted) {
      ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
          ClassSecurityValidator.getGlobal(), type -> type.getPackageName().equals(PACKAGE)));
      trusted = true;
    }
  }
}
