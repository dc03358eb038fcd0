package io.seismo.topology.store;

/**
 * Names of the topology's state stores, queryable through Kafka Streams interactive queries. The
 * control API reads these names; changing one is a breaking change of the topology.
 *
 * <ul>
 *   <li>{@link #REGISTRATIONS}: apiId → {@code Registration}, the compacted control topic as a table.</li>
 *   <li>{@link #STATUS}: apiId → {@code ApiStatus}, the running state and all-time counters.</li>
 *   <li>{@link #DOCUMENTS}: apiId → canonical JSON bytes of the last document (absent when the last
 *       payload was not JSON).</li>
 * </ul>
 */
public final class StoreNames {

  public static final String REGISTRATIONS = "seismo-registrations";
  public static final String STATUS = "seismo-status";
  public static final String DOCUMENTS = "seismo-documents";

  private StoreNames() {}
}
