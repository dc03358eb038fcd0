package io.seismo.topology.store;

import io.seismo.topology.analysis.TimeWindow;

/**
 * Names of the topology's state stores, all queryable and keyed by apiId; the control API reads these names,
 * so renaming one is a breaking change (the stores are listed in docs/architecture.md).
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
