package io.seismo.system;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of every child JVM of the cluster: {@code ChildMain <mainClass> [args...]} runs {@code mainClass}
 * after starting a watchdog that exits this JVM once the parent's end of its stdin pipe closes (docs/cluster-and-chaos.md).
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
