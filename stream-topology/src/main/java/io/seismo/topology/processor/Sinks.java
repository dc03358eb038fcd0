package io.seismo.topology.processor;

/** Names of the topology's sink nodes; processors forward to them by name. */
public final class Sinks {

  public static final String STATUS = "status-sink";
  public static final String CHANGES = "changes-sink";
  public static final String ALERTS = "alerts-sink";
  public static final String METRICS = "metrics-sink";
  public static final String FIELDS = "fields-sink";

  private Sinks() {}
}
