package io.seismo.system;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/cluster [--home DIR] [--base-port N] [--fresh]}: starts {@link SeismoCluster}, prints
 * where everything is, and stops all of it on Ctrl-C.
 */
public final class ClusterMain {

  private ClusterMain() {}

  public static void main(String[] args) throws Exception {
    ClusterOptions options = parse(args, ClusterOptions.defaults(Path.of("target", "seismo-cluster")));
    long started = System.nanoTime();
    SeismoCluster cluster = SeismoCluster.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nseismo cluster: stopping…");
      cluster.close();
      stopped.countDown();
    }, "seismo-cluster-shutdown"));
    System.out.printf("%nseismo cluster ready in %.1f s%n%s", (System.nanoTime() - started) / 1e9, cluster.describe());
    stopped.await();
  }

  /** Reads {@code --home}, {@code --base-port} and {@code --fresh}; other arguments are an error. */
  static ClusterOptions parse(String[] args, ClusterOptions defaults) {
    ClusterOptions options = defaults;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--home" -> options = options.withHome(Path.of(value(args, ++i, "--home")));
        case "--base-port" -> options = options.withBasePort(Integer.parseInt(value(args, ++i, "--base-port")));
        case "--fresh" -> options = options.withFresh(true);
        default -> {
          System.err.println("usage: scripts/cluster [--home DIR] [--base-port N] [--fresh]");
          System.exit(2);
        }
      }
    }
    return options;
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      System.err.println("seismo: " + name + " needs a value");
      System.exit(2);
    }
    return args[i];
  }
}
