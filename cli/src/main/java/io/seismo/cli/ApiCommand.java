package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * A subcommand that asks the control API and prints its answer as {@code --output} says: the HTTP, error
 * and output handling every such command shares.
 */
abstract class ApiCommand implements Callable<Integer> {

  @ParentCommand
  Seismo root;

  @Mixin
  Output.Options output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Does the command's work; a {@link CliException} is printed and sets the exit code. */
  abstract void run() throws Exception;

  @Override
  public final Integer call() throws Exception {
    run();
    out().flush();
    return Seismo.EXIT_OK;
  }

  ControlApiClient client() {
    return root.client();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The format {@code --output} asks for; table by default. */
  Output.Format format() {
    return output.or(Output.Format.TABLE);
  }

  /** The server's body as json or yaml, or as {@code table} prints it. */
  void print(JsonNode body, Consumer<PrintWriter> table) {
    Output.print(out(), format(), body, table);
  }

  /** A usage error (exit 2, with the usage help), for what picocli's own checks cannot say. */
  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** {@code /apis/<apiId>} with the apiId encoded as a path segment, then {@code rest}. */
  static String apiPath(String apiId, String rest) {
    return "/apis/" + ControlApiClient.segment(apiId) + rest;
  }
}
