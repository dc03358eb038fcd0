package io.seismo.launcher;

import io.seismo.ingest.IngestService;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ingest in a JVM of its own, for tests that kill it hard (SIGKILL): {@code <bootstrap> <groupId>
 * <runningFile>}. Every 100 ms it writes the apiIds it polls, one a line, to {@code runningFile}
 * (replaced atomically), so the test knows which instance owns which API when it kills one.
 */
public final class CrashableIngestMain {

  private CrashableIngestMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    IngestService ingest = IngestService.start(IngestConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", args[0],
        "SEISMO_INGEST_GROUP_ID", args[1],
        "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128",
        "SEISMO_INGEST_HTTP_PORT", "0",
        "SEISMO_NOTIFY_ENABLED", "false"))));
    Path running = Path.of(args[2]);
    Path next = running.resolveSibling(running.getFileName() + ".next");
    while (true) { // until killed
      Files.writeString(next, String.join("\n", new TreeSet<>(ingest.runningApis())));
      Files.move(next, running, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(100);
    }
  }
}
