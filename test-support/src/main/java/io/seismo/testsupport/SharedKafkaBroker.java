package io.seismo.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real broker per test JVM, shared by every integration test in it, started on first use. Whatever
 * runs on top of it (services started once per JVM) registers with {@link #closeBeforeBroker} and is
 * closed first, in reverse order, when the test session ends ({@link SharedResourcesListener}) — so
 * nothing is still talking to the broker while it stops, and no JVM shutdown hook races another.
 */
public final class SharedKafkaBroker {

  private static final Logger log = LoggerFactory.getLogger(SharedKafkaBroker.class);
  private static final Deque<AutoCloseable> DEPENDENTS = new ArrayDeque<>();
  private static EmbeddedKafkaBroker broker;
  private static boolean closed;

  private SharedKafkaBroker() {}

  public static synchronized String bootstrapServers() {
    if (closed) {
      throw new IllegalStateException("the shared broker is closed");
    }
    if (broker == null) {
      broker = EmbeddedKafkaBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(SharedKafkaBroker::closeAll, "shared-kafka-broker-shutdown"));
    }
    return broker.bootstrapServers();
  }

  /** Closes {@code dependent} before the broker, after everything registered later. */
  public static synchronized void closeBeforeBroker(AutoCloseable dependent) {
    DEPENDENTS.push(dependent);
  }

  /** Closes the dependents (newest first), then the broker. Idempotent. */
  public static synchronized void closeAll() {
    if (closed) {
      return;
    }
    closed = true;
    while (!DEPENDENTS.isEmpty()) {
      try {
        DEPENDENTS.pop().close();
      } catch (Exception e) {
        log.warn("closing a dependent of the shared broker failed error={}", e.toString());
      }
    }
    if (broker != null) {
      broker.close();
    }
  }
}
