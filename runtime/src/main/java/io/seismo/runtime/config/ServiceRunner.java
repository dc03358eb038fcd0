package io.seismo.runtime.config;

import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of every Seismo process: builds the service from the environment, closes it on
 * SIGTERM / Ctrl-C, and turns a bad setting into one line on stderr and exit code 2.
 */
public final class ServiceRunner {

  private ServiceRunner() {}

  public static void run(String name, Function<Settings, AutoCloseable> start) throws InterruptedException {
    AutoCloseable service;
    Settings settings = Settings.fromEnvironment();
    try {
      service = start.apply(settings);
    } catch (Settings.ConfigException e) {
      System.err.println("seismo: " + e.getMessage());
      System.exit(2);
      return;
    }
    settings.markRead(variable -> variable.equals("SEISMO_LOG_FORMAT") || variable.equals("SEISMO_LOG_LEVEL")); // log4j2.xml reads them
    for (String variable : settings.unread()) {
      LoggerFactory.getLogger(ServiceRunner.class)
          .warn("setting not used by {}: {} (a typo, or meant for another service?)", name, variable);
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        service.close();
      } catch (Exception e) {
        System.err.println("seismo: " + name + " did not stop cleanly: " + e);
      } finally {
        done.countDown();
      }
    }, name + "-shutdown"));
    done.await();
  }
}
