package io.seismo.cli;

import io.seismo.runtime.config.Settings;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.replay.Replay;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seismo replay} (and {@code scripts/replay}): runs the topology itself against the raw topics (talks to
 * Kafka, not to the control API), with a progress bar on stderr (records analysed of those in the range, records/s,
 * lag, ETA: redrawn in place on a terminal, a line every 5 s otherwise); the result goes to stdout.
 */
@Command(name = "replay", description = {
    "Re-analyse raw history into <app-id>.seismo.* topics; the live topology is not touched.",
    "Runs the topology under a new application id from the raw topics' offsets at --from (to --to). Talks to"
        + " Kafka directly: --bootstrap-servers or $SEISMO_BOOTSTRAP_SERVERS, SEISMO_KAFKA_* settings."})
final class ReplayCommand implements Callable<Integer> {
  @CommandLine.ParentCommand Seismo root;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Option(names = "--from", required = true, description = "ISO-8601 instant, e.g. 2026-11-24T00:00:00Z") String from;
  @Option(names = "--to", description = "ISO-8601 instant; default: up to now") String to;
  @Option(names = "--app-id", description = "application id and output topic prefix; default: seismo-replay-<time>")
  String appId;
  @Option(names = "--partitions", defaultValue = "6", description = "partitions of the output topics (${DEFAULT-VALUE})")
  int partitions;
  @Option(names = "--timeout", defaultValue = "30m", description = "give up after (${DEFAULT-VALUE})")
  Duration timeout;
  @Option(names = "--bootstrap-servers", description = "Kafka (default: $SEISMO_BOOTSTRAP_SERVERS or localhost:9092)")
  String bootstrapServers;

  @Override
  public Integer call() throws Exception {
    Instant start = instant("--from", from);
    Optional<Instant> end = to == null ? Optional.empty() : Optional.of(instant("--to", to));
    if (end.isPresent() && end.get().isBefore(start)) {
      throw new CliException("--to is before --from");
    }
    String id = appId != null ? appId : "seismo-replay-" + Instant.now().toString().replaceAll("[^0-9TZ]", "");
    if (!id.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new CliException("--app-id may contain letters, digits, '.', '_' and '-' only");
    }
    Map<String, String> environment = new LinkedHashMap<>(root.environment());
    if (bootstrapServers != null) {
      environment.put("SEISMO_BOOTSTRAP_SERVERS", bootstrapServers);
    }
    TopologyConfig base;
    try {
      base = TopologyConfig.from(new Settings(environment));
    } catch (Settings.ConfigException e) {
      throw new CliException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("replaying from %s%s as %s …%n", start, end.map(t -> " to " + t).orElse(""), id);
    out.flush();
    Replay.Result result;
    try (ProgressLine progress = new ProgressLine(spec.commandLine().getErr())) {
      result = Replay.run(base, new Replay.Request(id, start, end, Files.createTempDirectory("seismo-replay"), partitions),
          timeout, progress);
    } catch (Replay.ReplayException e) {
      throw CliException.unavailable(e.getMessage());
    }
    out.printf(Locale.ROOT, "replay %s done in %.1f s: %d raw polls and %d SSE events re-analysed%n",
        result.applicationId(), result.elapsed().toMillis() / 1000.0, result.rawRecords(), result.rawEvents());
    result.outputTopics().forEach((topic, records) -> out.printf("  %-60s %d records%n", topic, records));
    return Seismo.EXIT_OK;
  }

  /** The replay's progress as a {@link ProgressBar}, created at the first report (when the total is known). */
  static final class ProgressLine implements Consumer<Replay.Progress>, AutoCloseable {
    private final PrintWriter err;
    private ProgressBar bar;

    ProgressLine(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void accept(Replay.Progress progress) {
      if (bar == null) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("replay").setInitialMax(progress.total())
            .setUnit(" records", 1).showSpeed().setStyle(ProgressBarStyle.ASCII);
        if (!onTerminal()) { // a pipe or a file: whole lines, not redraws
          builder.setConsumer(new DelegatingProgressBarConsumer(line -> {
            err.println(line);
            err.flush();
          })).setUpdateIntervalMillis(5000);
        }
        bar = builder.build();
      }
      bar.stepTo(progress.done());
      bar.setExtraMessage("lag " + progress.lag());
    }

    /** Console.isTerminal (Java 22+, read reflectively at language level 21); on 21 a console is a terminal. */
    private static boolean onTerminal() {
      Console console = System.console();
      if (console == null) {
        return false;
      }
      try {
        return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
      } catch (ReflectiveOperationException e) {
        return true;
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }

  private static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new CliException(name + " must be an ISO-8601 instant like 2026-11-24T12:00:00Z, was " + value);
    }
  }
}
