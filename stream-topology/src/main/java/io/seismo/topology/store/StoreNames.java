package io.seismo.topology.store;

import io.seismo.topology.analysis.TimeWindow;

/**
 * Names of the topology's state stores, all queryable through Kafka Streams interactive queries and
 * all keyed by apiId (the two logs by apiId plus a slot, in the apiId's partition: find their owner
 * with the apiId). The control API reads these names; renaming one is a breaking change.
 *
 * <ul>
 *   <li>{@link #REGISTRATIONS}: {@code Registration}, the compacted control topic as a table.</li>
 *   <li>{@link #STATUS}: {@code ApiStatus}, running state and all-time counters.</li>
 *   <li>{@link #DOCUMENTS}: canonical JSON bytes of the last document (absent when the last payload was
 *       not JSON).</li>
 *   <li>{@link #EXECUTIONS}: {@code Execution} per slot of a ring of the 50 most recent polls, keyed by
 *       {@link RingKeys#EXECUTIONS} ({@code apiId NUL slot}); read with a range.</li>
 *   <li>{@link #RECENT_CHANGES}: {@code Change} per slot of a ring of the 20 most recent changes, keyed
 *       by {@link RingKeys#CHANGES}; read with a range and ordered by time.</li>
 *   <li>{@link #INCIDENTS}: {@code Incident} per alert rule of each API ({@code apiId NUL ruleId}): where the
 *       rule stands (OK, PENDING, OPEN, RECOVERING); read with a range.</li>
 *   <li>{@code seismo-metrics-1m|1h|1d} ({@link #metrics(TimeWindow)}): window stores of
 *       {@code ApiMetrics} per tumbling window.</li>
 *   <li>{@code seismo-fields-1m|1h|1d} ({@link #fields(TimeWindow)}): window stores of
 *       {@code FieldFrequency}, which paths of the document changed how often, per tumbling window.</li>
 * </ul>
 *
 * <p>Status, executions, recent changes and the metrics windows are write-behind stores
 * ({@code WriteBehindLayer}): an interactive query sees a status, an execution or a change as soon as
 * it is processed, and a window as of the last commit.
 */
public final class StoreNames {

  public static final String REGISTRATIONS = "seismo-registrations";
  public static final String STATUS = "seismo-status";
  public static final String DOCUMENTS = "seismo-documents";
  public static final String EXECUTIONS = "seismo-executions";
  public static final String RECENT_CHANGES = "seismo-recent-changes";
  public static final String INCIDENTS = "seismo-incidents";

  private StoreNames() {}

  public static String metrics(TimeWindow window) {
    return "seismo-metrics-" + window.label();
  }

  /** Window stores of {@code FieldFrequency}, per-field change frequency per tumbling window. */
  public static String fields(TimeWindow window) {
    return "seismo-fields-" + window.label();
  }
}
