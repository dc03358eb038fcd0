package io.seismo.cli;

import io.seismo.runtime.config.Settings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code seismo} command: the control API from a terminal (registrations, what Seismo measured, the
 * live stream, config as code) and {@code replay} (directly against Kafka).
 */
@Command(name = "seismo", mixinStandardHelpOptions = true, version = "seismo 0.1.0", scope = ScopeType.INHERIT,
    description = "A seismograph for APIs: register APIs and read what Seismo measured.",
    subcommands = {
        RegistrationCommands.ListApis.class, RegistrationCommands.Get.class, RegistrationCommands.Register.class,
        RegistrationCommands.Update.class, RegistrationCommands.Delete.class, RegistrationCommands.Start.class,
        RegistrationCommands.Stop.class, ObservationCommands.Status.class, ObservationCommands.Metrics.class,
        ObservationCommands.Changes.class, ObservationCommands.Logs.class, ObservationCommands.Alerts.class,
        RegistrationCommands.Notify.class, TailCommand.class, ConfigCommands.Apply.class,
        ConfigCommands.Export.class, ReplayCommand.class, AutoComplete.GenerateCompletion.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done",
        "1:the server refused the request (HTTP 4xx; its problem detail is printed), or an input (a file, a time) is wrong",
        "2:usage error: unknown command or option, missing or invalid value",
        "3:the control API could not be reached, timed out, failed (HTTP 5xx) or kept answering 429, or a stream or"
            + " replay could not go on: try again later"},
    footer = {"%nEnvironment: SEISMO_API_URL (--api), SEISMO_TOKEN (--token); --output table|json|yaml on commands that"
        + " print what the server answered.", "Shell completion (bash, zsh): source <(seismo generate-completion)"})
public final class Seismo implements Callable<Integer> {

  static final int EXIT_OK = 0;
  /** The server refused the request (4xx), or an input is wrong. */
  static final int EXIT_FAILED = 1;
  /** Picocli's usage error. */
  static final int EXIT_USAGE = 2;
  /** Unreachable, timed out, 5xx, a stream or replay that could not go on: worth trying again. */
  static final int EXIT_UNAVAILABLE = 3;

  private final Map<String, String> environment;

  @Option(names = "--api", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "control API URL (default: $SEISMO_API_URL or http://localhost:8080)")
  String api;

  @Option(names = "--token", scope = ScopeType.INHERIT, description = "bearer token (default: $SEISMO_TOKEN)")
  String token;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  Seismo(Map<String, String> environment) {
    this.environment = environment;
    this.api = environment.getOrDefault("SEISMO_API_URL", "http://localhost:8080");
    this.token = environment.get("SEISMO_TOKEN");
  }

  ControlApiClient client() {
    return new ControlApiClient(api, token);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The environment the command runs in (SEISMO_* settings). */
  Map<String, String> environment() {
    return environment;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command in this process's environment; returns the exit code (see the usage help). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.getenv());
  }

  /** Runs the command with these environment variables (SEISMO_API_URL, SEISMO_TOKEN, …). */
  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
    CommandLine line = new CommandLine(new Seismo(environment));
    line.setOut(out);
    line.setErr(err);
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.registerConverter(Duration.class, Seismo::duration);
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof CliException failure) {
        err.println("seismo: " + failure.getMessage());
        return failure.exitCode();
      }
      err.println("seismo: " + e);
      return EXIT_FAILED;
    });
    return line.execute(args);
  }

  /** Durations as every Seismo service reads them (see {@link io.seismo.runtime.config.Settings#parseDuration}). */
  static Duration duration(String text) {
    try {
      return Settings.parseDuration(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' is not " + Settings.DURATION_FORMS);
    }
  }
}
