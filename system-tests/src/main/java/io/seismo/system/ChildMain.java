package io.seismo.system;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of every child JVM of the cluster: {@code ChildMain <mainClass> [args...]} runs
 * {@code mainClass} after starting a watchdog that reads stdin. The parent holds the other end of that
 * pipe; when the parent dies in any way (Ctrl-C, an exception, kill -9) the pipe closes, the watchdog
 * reads end-of-file and this JVM exits (its shutdown hooks run; halted after 20 s). So no broker or
 * service outlives the launcher that started it.
 */
public final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 1) {
      System.err.println("usage: ChildMain <mainClass> [args...]");
      System.exit(2);
    }
    Thread.ofPlatform().daemon().name("seismo-parent-watchdog").start(ChildMain::watchParent);
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void watchParent() {
    InputStream in = System.in;
    byte[] buffer = new byte[64];
    try {
      while (in.read(buffer) >= 0) {
        // the parent writes nothing; anything read is ignored
      }
    } catch (IOException closed) {
      // same as end of file
    }
    System.err.println("seismo: parent process gone; exiting");
    Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(3);
    });
    System.exit(3);
  }
}
