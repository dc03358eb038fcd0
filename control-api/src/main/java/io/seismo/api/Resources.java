package io.seismo.api;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a control API opened, in order, closed in reverse: the same list when a start fails and on close.
 * Every close runs, whatever the ones before it did.
 */
final class Resources {

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Adds {@code resource}, closed before everything added earlier; returns it. */
  <T extends AutoCloseable> T add(T resource) {
    opened.push(resource);
    return resource;
  }

  /** Closes everything in reverse order of opening; what fails to close is added to {@code failure}, suppressed. */
  void closeAll(Throwable failure) {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Closes everything in reverse order of opening, then throws if anything failed to close (each one suppressed). */
  void closeAll() {
    IllegalStateException failure = new IllegalStateException("the control API did not close cleanly");
    closeAll(failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }
}
