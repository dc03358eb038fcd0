package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code seismo} command: register, list, status, start, stop and tail APIs through the control API;
 * replay raw history through the topology (directly against Kafka).
 */
@Command(name = "seismo", mixinStandardHelpOptions = true, version = "seismo 0.1.0",
    description = "A seismograph for APIs: register APIs and read what Seismo measured.",
    subcommands = {Seismo.Register.class, Seismo.ListApis.class, Seismo.Status.class, Seismo.Start.class,
        Seismo.Stop.class, Seismo.Tail.class, Seismo.ReplayHistory.class, ConfigCommands.Apply.class,
        ConfigCommands.Export.class})
public final class Seismo {

  @Option(names = "--api", description = "control API URL (default: $SEISMO_API_URL or http://localhost:8080)")
  String api = System.getenv().getOrDefault("SEISMO_API_URL", "http://localhost:8080");

  @Option(names = "--token", description = "bearer token (default: $SEISMO_TOKEN)")
  String token = System.getenv("SEISMO_TOKEN");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  ControlApiClient client() {
    return new ControlApiClient(api, token);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command; returns the exit code (0 ok, 1 failed, 2 bad usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(new Seismo());
    line.setOut(out);
    line.setErr(err);
    line.registerConverter(java.time.Duration.class, Seismo::duration);
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      err.println("seismo: " + (e instanceof CliException ? e.getMessage() : e.toString()));
      return 1;
    });
    return line.execute(args);
  }

  @Command(name = "register", description = "Register an API to observe.")
  static final class Register implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Parameters(index = "0", description = "the URL to observe") String url;
    @Option(names = "--id", description = "apiId (default: derived from the URL host and path)") String id;
    @Option(names = "--interval", description = "poll interval, e.g. 500ms, 5s, 1m, 1h, 1d or PT30S (default 60s)")
    java.time.Duration interval;
    @Option(names = "--mode", description = "POLL, SSE or BOTH") String mode;
    @Option(names = "--header", description = "request header Name=Value; values may be ${env:NAME}") List<String> headers = new ArrayList<>();
    @Option(names = "--pointer", description = "JSON Pointer narrowing the analysed document") String pointer;
    @Option(names = "--stopped", description = "register without starting") boolean stopped;

    @Override
    public Integer call() {
      ObjectNode body = ControlApiClient.json().createObjectNode();
      body.put("apiId", id != null ? id : deriveId(url));
      body.put("url", url);
      if (interval != null) {
        body.put("pollIntervalMs", interval.toMillis());
      }
      if (mode != null) {
        body.put("mode", mode.toUpperCase(Locale.ROOT));
      }
      if (pointer != null) {
        body.put("jsonPointer", pointer);
      }
      if (stopped) {
        body.put("desiredState", "STOPPED");
      }
      if (!headers.isEmpty()) {
        ObjectNode map = body.putObject("headers");
        for (String header : headers) {
          int eq = header.indexOf('=');
          if (eq <= 0) {
            throw new CliException("--header must be Name=Value, was '" + header + "'");
          }
          map.put(header.substring(0, eq).strip(), header.substring(eq + 1));
        }
      }
      JsonNode created = root.client().post("/apis", body);
      root.out().printf("registered %s (version %s) → %s%n", created.path("apiId").asText(),
          created.path("version").asText(), created.path("url").asText());
      return 0;
    }

    static String deriveId(String url) {
      URI uri = URI.create(url);
      String raw = (uri.getHost() == null ? "api" : uri.getHost()) + (uri.getPath() == null ? "" : uri.getPath());
      String id = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
      return id.length() > 63 ? id.substring(0, 63) : id;
    }
  }

  @Command(name = "list", description = "List registered APIs.")
  static final class ListApis implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Option(names = "--state", description = "RUNNING or STOPPED") String state;

    @Override
    public Integer call() {
      String after = null;
      root.out().printf("%-40s %-8s %10s  %s%n", "API", "DESIRED", "INTERVAL", "URL");
      do {
        JsonNode page = root.client().get("/apis?limit=500" + (state == null ? "" : "&state=" + state)
            + (after == null ? "" : "&after=" + after));
        for (JsonNode api : page.path("items")) {
          root.out().printf("%-40s %-8s %9ds  %s%n", api.path("apiId").asText(), api.path("desiredState").asText(),
              api.path("pollIntervalMs").asLong() / 1000, api.path("url").asText());
        }
        after = page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.path("next").asText();
      } while (after != null);
      return 0;
    }
  }

  @Command(name = "status", description = "Show the status of an API.")
  static final class Status implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Parameters(index = "0", description = "apiId") String id;

    @Override
    public Integer call() {
      JsonNode s = root.client().get("/apis/" + id + "/status");
      Map<String, String> rows = new LinkedHashMap<>();
      rows.put("state", s.path("state").asText());
      rows.put("samples", s.path("samples").asText() + " (" + s.path("notModified").asText() + " not modified, "
          + s.path("errors").asText() + " errors)");
      rows.put("changes", s.path("changes").asText() + (s.path("changeRatio").isNumber()
          ? String.format(Locale.ROOT, " (%.1f%% of payloads)", 100 * s.path("changeRatio").asDouble()) : ""));
      rows.put("last sample", s.path("lastSampleAt").asText("-") + " HTTP " + s.path("lastHttpStatus").asText()
          + " in " + s.path("lastLatencyMs").asText() + " ms");
      rows.put("last change", s.path("lastChangeAt").asText("-"));
      rows.put("payload", s.path("lastPayloadBytes").asText() + " bytes");
      JsonNode e = s.path("efficiency");
      rows.put("bytes", String.format(Locale.ROOT, "polled %d, conditional %d, streamed %d", e.path("bytesPolled").asLong(),
          e.path("bytesConditional").asLong(), e.path("bytesStreamed").asLong()));
      if (e.path("streamingSavingRatio").isNumber()) {
        rows.put("savings", String.format(Locale.ROOT, "conditional %.1f%%, streaming %.1f%% vs plain polling",
            100 * e.path("conditionalSavingRatio").asDouble(), 100 * e.path("streamingSavingRatio").asDouble()));
      }
      if (s.hasNonNull("lastError")) {
        rows.put("last error", s.path("lastError").path("category").asText() + ": " + s.path("lastError").path("message").asText());
      }
      root.out().println(id);
      rows.forEach((key, value) -> root.out().printf("  %-12s %s%n", key, value));
      return 0;
    }
  }

  @Command(name = "start", description = "Start polling an API.")
  static final class Start implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Parameters(index = "0", description = "apiId") String id;

    @Override
    public Integer call() {
      return root.changeDesiredState(id, "start");
    }
  }

  @Command(name = "stop", description = "Stop polling an API.")
  static final class Stop implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Parameters(index = "0", description = "apiId") String id;

    @Override
    public Integer call() {
      return root.changeDesiredState(id, "stop");
    }
  }

  int changeDesiredState(String id, String action) {
    JsonNode registration = client().post("/apis/" + id + "/" + action, null);
    out().printf("%s desired state %s (version %s)%n", id, registration.path("desiredState").asText(),
        registration.path("version").asText());
    return 0;
  }

  @Command(name = "tail", description = "Follow the changes of an API: `seismo tail changes <apiId>`.")
  static final class Tail implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Parameters(index = "0", description = "what to follow: changes") String what;
    @Parameters(index = "1", description = "apiId") String id;
    @Option(names = "--once", description = "print the recent changes and exit") boolean once;

    @Override
    public Integer call() throws InterruptedException {
      if (!what.equals("changes")) {
        throw new CliException("can only tail 'changes', not '" + what + "'");
      }
      Set<String> seen = new HashSet<>();
      do {
        JsonNode items = root.client().get("/apis/" + id + "/changes").path("items");
        List<JsonNode> fresh = new ArrayList<>();
        for (JsonNode change : items) {
          if (seen.add(change.path("newHash").asText() + change.path("sequence").asText())) {
            fresh.add(change);
          }
        }
        for (int i = fresh.size() - 1; i >= 0; i--) {
          JsonNode change = fresh.get(i);
          root.out().printf("%s %s %d op(s) %s%n", change.path("at").asText(), id, change.path("opCount").asInt(),
              change.path("patch").isNull() ? "(not JSON)" : change.path("patch").toString());
        }
        root.out().flush();
        if (!once) {
          Thread.sleep(1000);
        }
      } while (!once);
      return 0;
    }
  }

  @Command(name = "replay", description = {
      "Re-analyse raw history: runs the topology under a new application id from the raw topics'",
      "offsets at --from (to --to), into <app-id>.seismo.* topics; the live topology is not touched.",
      "Talks to Kafka directly: --bootstrap-servers or $SEISMO_BOOTSTRAP_SERVERS, SEISMO_KAFKA_* settings."})
  static final class ReplayHistory implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Option(names = "--from", required = true, description = "ISO-8601 instant, e.g. 2026-11-24T00:00:00Z") String from;
    @Option(names = "--to", description = "ISO-8601 instant; default: up to now") String to;
    @Option(names = "--app-id", description = "application id and output topic prefix; default: seismo-replay-<time>")
    String appId;
    @Option(names = "--partitions", defaultValue = "6", description = "partitions of the output topics (${DEFAULT-VALUE})")
    int partitions;
    @Option(names = "--timeout", defaultValue = "30m", description = "give up after (${DEFAULT-VALUE})")
    java.time.Duration timeout;
    @Option(names = "--bootstrap-servers", description = "Kafka (default: $SEISMO_BOOTSTRAP_SERVERS or localhost:9092)")
    String bootstrapServers;

    @Override
    public Integer call() throws Exception {
      java.time.Instant start = instant("--from", from);
      java.util.Optional<java.time.Instant> end = to == null ? java.util.Optional.empty()
          : java.util.Optional.of(instant("--to", to));
      if (end.isPresent() && end.get().isBefore(start)) {
        throw new CliException("--to is before --from");
      }
      String id = appId != null ? appId
          : "seismo-replay-" + java.time.Instant.now().toString().replaceAll("[^0-9TZ]", "");
      if (!id.matches("[A-Za-z0-9._-]{1,200}")) {
        throw new CliException("--app-id may contain letters, digits, '.', '_' and '-' only");
      }
      Map<String, String> environment = new LinkedHashMap<>(System.getenv());
      if (bootstrapServers != null) {
        environment.put("SEISMO_BOOTSTRAP_SERVERS", bootstrapServers);
      }
      io.seismo.topology.config.TopologyConfig base;
      try {
        base = io.seismo.topology.config.TopologyConfig.from(new io.seismo.schemas.config.Settings(environment));
      } catch (io.seismo.schemas.config.Settings.ConfigException e) {
        throw new CliException(e.getMessage());
      }
      root.out().printf("replaying from %s%s as %s …%n", start, end.map(t -> " to " + t).orElse(""), id);
      root.out().flush();
      io.seismo.topology.replay.Replay.Result result = io.seismo.topology.replay.Replay.run(base,
          new io.seismo.topology.replay.Replay.Request(id, start, end,
              java.nio.file.Files.createTempDirectory("seismo-replay"), partitions),
          timeout);
      root.out().printf(Locale.ROOT, "replay %s done in %.1f s: %d raw polls and %d SSE events re-analysed%n",
          result.applicationId(), result.elapsed().toMillis() / 1000.0, result.rawRecords(), result.rawEvents());
      result.outputTopics().forEach((topic, records) -> root.out().printf("  %-60s %d records%n", topic, records));
      return 0;
    }

    private static java.time.Instant instant(String name, String value) {
      try {
        return java.time.Instant.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new CliException(name + " must be an ISO-8601 instant like 2026-11-24T12:00:00Z, was " + value);
      }
    }
  }

  /** Durations as every Seismo service reads them (see {@link io.seismo.schemas.config.Settings#parseDuration}). */
  static java.time.Duration duration(String text) {
    try {
      return io.seismo.schemas.config.Settings.parseDuration(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' is not " + io.seismo.schemas.config.Settings.DURATION_FORMS);
    }
  }
}
