package io.seismo.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child JVM of the cluster (a broker or a Seismo service) that can be started again after it was
 * killed, stopped or paused: a name, a main class with its arguments and environment, a heap, and a
 * log file the child's output is appended to. The child runs under {@link ChildMain}, so it exits when
 * this JVM dies.
 */
public final class ChildProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

  private final String name;
  private final String mainClass;
  private final List<String> args;
  private final Map<String, String> env;
  private final String heap;
  private final Path logFile;
  private volatile Process process;
  private volatile boolean paused;

  public ChildProcess(String name, String mainClass, List<String> args, Map<String, String> env, String heap, Path logFile) {
    this.name = name;
    this.mainClass = mainClass;
    this.args = List.copyOf(args);
    this.env = Map.copyOf(env);
    this.heap = heap;
    this.logFile = logFile;
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  /** Starts the JVM (again); a running one is left as it is. */
  public synchronized ChildProcess start() throws IOException {
    if (process != null && process.isAlive()) {
      return this;
    }
    Files.createDirectories(logFile.getParent());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
        "-Dlog4j2.configurationFile=log4j2.xml",
        "-cp", System.getProperty("java.class.path"),
        ChildMain.class.getName(), mainClass));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE); // the watchdog's pipe: closed when this JVM dies
    builder.environment().putAll(env);
    process = builder.start();
    paused = false;
    log.info("started {} pid={} log={}", name, process.pid(), logFile);
    return this;
  }

  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** SIGKILL: no shutdown hook, no controlled shutdown, nothing flushed. */
  public synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (paused) {
      resume(); // a stopped process does not die of SIGKILL until continued on some kernels' views of it
    }
    p.destroyForcibly();
    await(p, 30);
    log.info("killed {} (SIGKILL)", name);
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}. */
  public synchronized void stop(int graceSeconds) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    p.destroy();
    if (!await(p, graceSeconds)) {
      log.warn("{} did not stop within {} s; killing it", name, graceSeconds);
      p.destroyForcibly();
      await(p, 30);
    }
    log.info("stopped {}", name);
  }

  /** SIGSTOP: the JVM is frozen (no heartbeats) until {@link #resume()}. */
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT. */
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  private void signal(String signal) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
      }
      log.info("sent SIG{} to {} pid={}", signal, name, p.pid());
    } catch (IOException e) {
      throw new IllegalStateException("cannot signal " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean await(Process p, int seconds) {
    try {
      return p.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop(20);
  }

  @Override
  public String toString() {
    return name + (isAlive() ? " pid=" + pid() : " (down)");
  }
}
