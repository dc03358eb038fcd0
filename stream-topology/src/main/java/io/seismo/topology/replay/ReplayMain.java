package io.seismo.topology.replay;

import io.seismo.schemas.config.Settings;
import io.seismo.topology.config.TopologyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code scripts/replay --from <ISO instant> [--to <ISO instant>] [--app-id <id>] [--partitions N]
 * [--timeout 30m]}: re-analyses raw history into {@code <app-id>.seismo.*} topics. Kafka settings come
 * from SEISMO_BOOTSTRAP_SERVERS and SEISMO_KAFKA_*. Exit codes: 0 done, 1 failed, 2 bad arguments.
 */
public final class ReplayMain {

  private ReplayMain() {}

  public static void main(String[] args) {
    try {
      Arguments arguments = Arguments.parse(args);
      TopologyConfig base = TopologyConfig.from(Settings.fromEnvironment());
      Path stateDir = Files.createTempDirectory("seismo-replay");
      Replay.Result result = Replay.run(base, new Replay.Request(arguments.appId(), arguments.from(), arguments.to(),
          stateDir, arguments.partitions()), arguments.timeout());
      System.out.printf("replay %s done in %.1f s: %d raw polls and %d SSE events re-analysed%n",
          result.applicationId(), result.elapsed().toMillis() / 1000.0, result.rawRecords(), result.rawEvents());
      result.outputTopics().forEach((topic, records) -> System.out.printf("  %-60s %d records%n", topic, records));
    } catch (IllegalArgumentException | Settings.ConfigException e) {
      System.err.println("replay: " + e.getMessage());
      System.err.println("usage: scripts/replay --from <ISO instant> [--to <ISO instant>] [--app-id <id>]"
          + " [--partitions N] [--timeout 30m]");
      System.exit(2);
    } catch (Exception e) {
      System.err.println("replay failed: " + e.getMessage());
      System.exit(1);
    }
  }

  record Arguments(Instant from, Optional<Instant> to, String appId, int partitions, Duration timeout) {

    static Arguments parse(String[] args) {
      Instant from = null;
      Instant to = null;
      String appId = null;
      int partitions = 6;
      Duration timeout = Duration.ofMinutes(30);
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + name);
        }
        String value = args[++i];
        switch (name) {
          case "--from" -> from = instant(name, value);
          case "--to" -> to = instant(name, value);
          case "--app-id" -> appId = value;
          case "--partitions" -> partitions = Integer.parseInt(value);
          case "--timeout" -> timeout = duration(name, value);
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      if (from == null) {
        throw new IllegalArgumentException("--from is required");
      }
      if (to != null && to.isBefore(from)) {
        throw new IllegalArgumentException("--to is before --from");
      }
      if (appId == null) {
        appId = "seismo-replay-" + Instant.now().toString().replaceAll("[^0-9TZ]", "");
      }
      if (!appId.matches("[A-Za-z0-9._-]{1,200}")) {
        throw new IllegalArgumentException("--app-id may contain letters, digits, '.', '_' and '-' only");
      }
      return new Arguments(from, Optional.ofNullable(to), appId, partitions, timeout);
    }

    private static Duration duration(String name, String value) {
      try {
        return Settings.parseDuration(value);
      } catch (RuntimeException e) { // IllegalArgumentException, DateTimeParseException, ArithmeticException
        throw new IllegalArgumentException(name + " must be " + Settings.DURATION_FORMS + ", was " + value);
      }
    }

    private static Instant instant(String name, String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(name + " must be an ISO-8601 instant like 2026-11-24T12:00:00Z, was " + value);
      }
    }
  }
}
