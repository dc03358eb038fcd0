package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Config as code: {@code seismo apply -f apis.yaml} and {@code seismo export > apis.yaml}. */
final class ConfigCommands {

  /** Registrations per {@code POST /apis:batch} (the service takes up to 1,000). */
  static final int BATCH = 1_000;

  private ConfigCommands() {}

  /** Every registration as served whose apiId starts with {@code prefix}, in apiId order. */
  static List<JsonNode> served(ControlApiClient client, String prefix) {
    List<JsonNode> all = new ArrayList<>();
    // apiIds are sorted: start just before the prefix, stop at the first apiId past it
    String after = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1)
        + (char) (prefix.charAt(prefix.length() - 1) - 1) + "~";
    client.forEachItem("/apis?limit=500", after, api -> {
      String apiId = api.path("apiId").asText();
      if (apiId.startsWith(prefix)) {
        all.add(api);
      }
      return apiId.startsWith(prefix) || apiId.compareTo(prefix) < 0;
    });
    return all;
  }

  @Command(name = "apply", description = {
      "Make the registrations what a file says: create, update and (--prune) delete.",
      "Creates the APIs it lists that are not registered, updates those that differ (PUT with If-Match), and with"
          + " --prune deletes those it does not list. Idempotent: applying the same file again changes nothing."
          + " YAML or JSON (by extension; '-' reads YAML/JSON from stdin):",
      "  apis:",
      "    - apiId: github-status",
      "      url: https://www.githubstatus.com/api/v2/status.json",
      "      pollIntervalMs: 60000",
      "      headers: {Authorization: 'Bearer $${env:SEISMO_SECRET_GITHUB}'}",
      "Fields are those of POST /apis; the control API validates them and its problem detail is printed."})
  static final class Apply implements Callable<Integer> {
    @CommandLine.ParentCommand Seismo root;
    @Option(names = {"-f", "--file"}, required = true, description = "the file (.yaml, .yml or .json; - for stdin)")
    String file;
    @Option(names = "--prune", description = "delete registered APIs the file does not list") boolean prune;
    @Option(names = "--dry-run", description = "print the plan and change nothing") boolean dryRun;
    @Option(names = "--prefix", defaultValue = "", description = {"manage only the APIs whose apiId starts with this",
        "(a team's share of a deployment): others are neither listed, changed nor pruned"}) String prefix;

    @Override
    public Integer call() {
      List<ObjectNode> wanted = ApisFile.read(file, System.in);
      wanted.stream().map(api -> api.path("apiId").asText()).filter(apiId -> !apiId.startsWith(prefix)).findFirst()
          .ifPresent(apiId -> {
            throw new CliException(file + ": apiId '" + apiId + "' does not start with --prefix '" + prefix + "'");
          });
      ControlApiClient client = root.client();
      Map<String, JsonNode> current = new LinkedHashMap<>();
      served(client, prefix).forEach(api -> current.put(api.path("apiId").asText(), api));

      List<ObjectNode> creates = new ArrayList<>();
      Map<ObjectNode, List<String>> updates = new LinkedHashMap<>();
      int unchanged = 0;
      for (ObjectNode api : wanted) {
        JsonNode served = current.remove(api.path("apiId").asText());
        if (served == null) {
          creates.add(api);
        } else {
          List<String> fields = ApisFile.differences(api, served);
          if (fields.isEmpty()) {
            unchanged++;
          } else {
            updates.put(api, fields);
          }
        }
      }
      List<String> deletes = prune ? List.copyOf(current.keySet()) : List.of();
      PrintWriter out = root.out();
      out.printf(Locale.ROOT, "plan: %d to create, %d to update, %d to delete, %d unchanged%s%n", creates.size(),
          updates.size(), deletes.size(), unchanged, !prune && !current.isEmpty()
              ? " (" + current.size() + " registered but not in the file: kept; --prune deletes them)" : "");
      creates.forEach(api -> out.println("  + " + api.path("apiId").asText()));
      updates.forEach((api, fields) -> out.println("  ~ " + api.path("apiId").asText() + " (" + String.join(", ", fields) + ")"));
      deletes.forEach(apiId -> out.println("  - " + apiId));
      out.flush();
      if (dryRun) {
        return 0;
      }
      for (int from = 0; from < creates.size(); from += BATCH) {
        create(client, creates.subList(from, Math.min(creates.size(), from + BATCH)), out);
      }
      for (Map.Entry<ObjectNode, List<String>> update : updates.entrySet()) {
        String apiId = update.getKey().path("apiId").asText();
        ControlApiClient.Answer replaced = client.changeRegistration(apiId, "PUT", read -> update.getKey());
        out.printf("updated %s (version %s)%n", apiId, replaced.body().path("version").asText());
      }
      for (String apiId : deletes) {
        client.changeRegistration(apiId, "DELETE", read -> null);
        out.printf("deleted %s%n", apiId);
      }
      out.printf(Locale.ROOT, "applied: %d created, %d updated, %d deleted%n", creates.size(), updates.size(), deletes.size());
      return 0;
    }

    private void create(ControlApiClient client, List<ObjectNode> batch, PrintWriter out) {
      ObjectNode body = ApisFile.JSON.createObjectNode();
      ArrayNode items = body.putArray("items");
      batch.forEach(items::add);
      JsonNode answer;
      try {
        answer = client.exchange("POST", "/apis:batch", body, Map.of()).body();
      } catch (CliException e) {
        if (e.httpStatus() == 0) {
          throw e;
        }
        // the service names items by their index in this batch: name them by apiId instead
        Pattern itemField = Pattern.compile("items\\[(\\d+)](.*)");
        throw e.withMessage(ProblemMessages.describe(e.httpStatus(), e.problem(), field -> {
          Matcher item = itemField.matcher(field);
          if (!item.matches() || Integer.parseInt(item.group(1)) >= batch.size()) {
            return field;
          }
          return batch.get(Integer.parseInt(item.group(1))).path("apiId").asText()
              + (item.group(2).isEmpty() ? "" : " " + item.group(2).substring(1));
        }));
      }
      List<String> failures = new ArrayList<>();
      for (JsonNode result : answer.path("items")) {
        int status = result.path("status").asInt();
        if (status == 201) {
          out.println("created " + result.path("apiId").asText());
        } else {
          failures.add(result.path("apiId").asText() + ": HTTP " + status + ": " + result.path("detail").asText());
        }
      }
      if (!failures.isEmpty()) {
        throw new CliException("not created (" + failures.size() + "):" + System.lineSeparator() + "  "
            + String.join(System.lineSeparator() + "  ", failures));
      }
    }
  }

  @Command(name = "export", description = {
      "Print every registration as an apply file (YAML, or JSON with -o json).",
      "Secret header values written as $${env:NAME} references are exported as those references, never resolved;"
          + " a literal secret is exported as <redacted> (with a warning): applied back, it keeps the stored value."})
  static final class Export extends ApiCommand {
    @Option(names = "--prefix", defaultValue = "", description = "only the APIs whose apiId starts with this")
    String prefix;

    /** An apply file: YAML unless -o json; a table is no file. */
    @Override
    Output.Format format() {
      return output.or(Output.Format.YAML);
    }

    @Override
    void run() {
      if (format() == Output.Format.TABLE) {
        throw usage("export writes an apply file: -o yaml (the default) or -o json, not table");
      }
      List<JsonNode> served = served(client(), prefix);
      PrintWriter err = err();
      for (JsonNode api : served) {
        api.path("headers").properties().forEach(header -> {
          if (header.getValue().asText().equals("<redacted>")) {
            err.printf("seismo: warning: %s header %s is a literal secret, exported as <redacted> (applied here it keeps"
                + " the stored value; elsewhere write ${env:NAME})%n", api.path("apiId").asText(), header.getKey());
          }
        });
        api.path("notifyWebhooks").forEach(hook -> {
          if (hook.asText().contains("#redacted-")) {
            err.printf("seismo: warning: %s webhook %s is shown redacted (applied here it keeps the stored URL)%n",
                api.path("apiId").asText(), hook.asText());
          }
        });
      }
      err.flush();
      out().print(ApisFile.write(served, format() == Output.Format.JSON));
    }
  }
}
