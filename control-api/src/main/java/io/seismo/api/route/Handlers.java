package io.seismo.api.route;

import io.seismo.api.dlq.DlqHandlers;
import io.seismo.api.error.ProblemException;
import io.seismo.api.notify.AlertHandlers;
import io.seismo.api.notify.NotifyHandler;
import io.seismo.api.stream.StreamHandler;
import io.seismo.api.system.SystemHandlers;

/**
 * The handlers behind the routes. Routes are registered before the topology exists (its application.server
 * needs the bound port) and the handlers are wired in as their services start: until a route's handler is
 * wired, and again once the service is stopping ({@link #close}), the route answers 503 with Retry-After.
 */
public final class Handlers implements AutoCloseable {

  private volatile RegistrationHandlers registrations;
  private volatile BatchHandler batch;
  private volatile FieldHandlers fields;
  private volatile IgnoreHandler ignore;
  private volatile ApiHandlers api;
  private volatile NotifyHandler notify;
  private volatile AlertHandlers alerts;
  private volatile StreamHandler stream;
  private volatile DlqHandlers dlq;
  private volatile SystemHandlers system;
  private volatile HealthHandlers health;
  private volatile boolean stopping;

  public Handlers wire(RegistrationHandlers handlers) {
    this.registrations = handlers;
    return this;
  }

  public Handlers wire(BatchHandler handler) {
    this.batch = handler;
    return this;
  }

  public Handlers wire(FieldHandlers handlers) {
    this.fields = handlers;
    return this;
  }

  public Handlers wire(IgnoreHandler handler) {
    this.ignore = handler;
    return this;
  }

  public Handlers wire(ApiHandlers handlers) {
    this.api = handlers;
    return this;
  }

  public Handlers wire(NotifyHandler handler) {
    this.notify = handler;
    return this;
  }

  public Handlers wire(AlertHandlers handlers) {
    this.alerts = handlers;
    return this;
  }

  public Handlers wire(StreamHandler handler) {
    this.stream = handler;
    return this;
  }

  public Handlers wire(DlqHandlers handlers) {
    this.dlq = handlers;
    return this;
  }

  public Handlers wire(SystemHandlers handlers) {
    this.system = handlers;
    return this;
  }

  public Handlers wire(HealthHandlers handlers) {
    this.health = handlers;
    return this;
  }

  /** From now on the routes answer 503 (the health checks excepted): the services behind them are closing. */
  @Override
  public void close() {
    stopping = true;
  }

  RegistrationHandlers registrations() {
    return ready(registrations);
  }

  BatchHandler batch() {
    return ready(batch);
  }

  FieldHandlers fields() {
    return ready(fields);
  }

  IgnoreHandler ignore() {
    return ready(ignore);
  }

  ApiHandlers api() {
    return ready(api);
  }

  NotifyHandler notifier() {
    return ready(notify);
  }

  AlertHandlers alerts() {
    return ready(alerts);
  }

  StreamHandler stream() {
    return ready(stream);
  }

  DlqHandlers dlq() {
    return ready(dlq);
  }

  SystemHandlers system() {
    return ready(system);
  }

  /** The readiness check, null while the service is starting; not gated when stopping (it reports what it sees). */
  HealthHandlers healthOrNull() {
    return health;
  }

  private <T> T ready(T handler) {
    if (stopping) {
      throw ProblemException.unavailable("the service is stopping; retry shortly");
    }
    if (handler == null) {
      throw ProblemException.unavailable("the service is starting; retry shortly");
    }
    return handler;
  }
}
