package io.seismo.api.notify;

/** The alert history as {@link AlertHandlers} read it: {@link AlertHistory}, or a list in route tests. */
public interface AlertPages {

  /** True once the history holds what was on the alerts topic when it started. */
  boolean loaded();

  /** A page of alerts, newest first; {@code apiId} null for all APIs, {@code kind} null for all kinds. */
  AlertHistory.Page page(String apiId, String kind, String before, int limit);
}
