package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The registrations: list, get, register, update, delete, start, stop and notify (/apis, /apis/{id}…). */
final class RegistrationCommands {

  private RegistrationCommands() {}

  /** The registration fields {@code register} sets and {@code update} changes. */
  static final class FieldOptions {
    enum Mode { POLL, SSE, BOTH }

    @Option(names = "--interval", paramLabel = "DURATION",
        description = "poll interval, e.g. 500ms, 5s, 1m, 1h, 1d or PT30S (registered: 60s by default)")
    Duration interval;

    @Option(names = "--mode", description = "${COMPLETION-CANDIDATES} (registered: POLL by default)")
    Mode mode;

    @Option(names = "--header", paramLabel = "NAME=VALUE",
        description = "a request header (repeat for more); values may be $${env:NAME}; update: sets this one, keeps the others")
    List<String> headers = new ArrayList<>();

    @Option(names = "--pointer", paramLabel = "POINTER", description = "JSON Pointer narrowing the analysed document ('' for none)")
    String pointer;

    @Option(names = "--alert-on-change", arity = "1", paramLabel = "true|false", description = "an alert on every change")
    Boolean alertOnChange;

    boolean any() {
      return interval != null || mode != null || !headers.isEmpty() || pointer != null || alertOnChange != null;
    }

    /** Sets the fields given on the command line in {@code body}; headers are added to those it has. */
    void applyTo(ObjectNode body) {
      if (interval != null) {
        body.put("pollIntervalMs", interval.toMillis());
      }
      if (mode != null) {
        body.put("mode", mode.name());
      }
      if (pointer != null) {
        if (pointer.isEmpty()) {
          body.putNull("jsonPointer");
        } else {
          body.put("jsonPointer", pointer);
        }
      }
      if (alertOnChange != null) {
        body.put("alertOnChange", alertOnChange);
      }
      if (!headers.isEmpty()) {
        ObjectNode map = body.path("headers").isObject() ? (ObjectNode) body.get("headers") : body.putObject("headers");
        for (String header : headers) {
          int eq = header.indexOf('=');
          if (eq <= 0) {
            throw new CliException("--header must be Name=Value, was '" + header + "'");
          }
          map.put(header.substring(0, eq).strip(), header.substring(eq + 1));
        }
      }
    }
  }

  @Command(name = "list", description = {"List registered APIs with their analysed state (GET /apis?include=status, every page).",
      "--state RUNNING or STOPPED filters by the desired state (on the server); PENDING, STALLED or FAILING by the"
          + " analysed state (an API not analysed yet counts as PENDING)."})
  static final class ListApis extends ApiCommand {
    enum State {
      RUNNING, STOPPED, PENDING, STALLED, FAILING;

      boolean desired() {
        return this == RUNNING || this == STOPPED;
      }
    }

    @Option(names = "--state", description = "${COMPLETION-CANDIDATES}") State state;

    @Override
    void run() {
      ObjectNode answer = ControlApiClient.json().createObjectNode();
      var items = answer.putArray("items");
      answer.putNull("next");
      String query = "/apis?limit=500&include=status" + (state != null && state.desired() ? "&state=" + state : "");
      client().forEachItem(query, null, api -> {
        if (state == null || state.desired() || analysedState(api).equals(state.name())) {
          items.add(api);
        }
        return true;
      });
      print(answer, out -> {
        Output.Table table = new Output.Table("API", "DESIRED", "STATE", "INTERVAL", "URL");
        for (JsonNode api : items) {
          table.row(api.path("apiId").asText(), api.path("desiredState").asText(), analysedState(api),
              Output.millis(api.path("pollIntervalMs")), api.path("url").asText());
        }
        table.print(out);
      });
    }

    private static String analysedState(JsonNode api) {
      return api.path("status").path("state").asText(State.PENDING.name());
    }
  }

  @Command(name = "get", description = "Show a registration (GET /apis/{id}); secret header values come redacted.")
  static final class Get extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;

    @Override
    void run() {
      JsonNode api = client().get(apiPath(id, ""));
      print(api, out -> {
        Output.Details details = new Output.Details(api.path("apiId").asText(id))
            .row("url", api.path("url").asText())
            .row("mode", api.path("mode").asText())
            .row("interval", Output.millis(api.path("pollIntervalMs")))
            .row("desired", api.path("desiredState").asText())
            .row("version", api.path("version").asText() + " (updated " + Output.cell(api.path("updatedAt")) + ")");
        api.path("headers").properties().forEach(header ->
            details.row("header", header.getKey() + ": " + header.getValue().asText()));
        details.row("pointer", Output.cell(api.path("jsonPointer")))
            .row("alerts", "on change " + api.path("alertOnChange").asBoolean() + ", " + api.path("rules").size()
                + " rule(s), " + api.path("notifyWebhooks").size() + " webhook(s), channels "
                + Output.cell(api.path("notifyChannels")));
        if (!api.path("ignore").isEmpty()) {
          details.row("ignore", Output.cell(api.path("ignore")));
        }
        details.print(out);
      });
    }
  }

  @Command(name = "register", description = "Register an API to observe (POST /apis); it is polled at once unless --stopped.")
  static final class Register extends ApiCommand {
    @Parameters(index = "0", paramLabel = "URL", description = "the URL to observe") String url;
    @Option(names = "--id", description = "apiId (default: derived from the URL host and path)") String id;
    @Option(names = "--stopped", description = "register without starting") boolean stopped;
    @Mixin FieldOptions fields;

    @Override
    void run() {
      ObjectNode body = ControlApiClient.json().createObjectNode();
      body.put("apiId", id != null ? id : deriveId(url));
      body.put("url", url);
      fields.applyTo(body);
      if (stopped) {
        body.put("desiredState", "STOPPED");
      }
      JsonNode created = client().post("/apis", body);
      print(created, out -> out.printf("registered %s (version %s) → %s%n", created.path("apiId").asText(),
          created.path("version").asText(), created.path("url").asText()));
    }

    static String deriveId(String url) {
      URI uri = URI.create(url);
      String raw = (uri.getHost() == null ? "api" : uri.getHost()) + (uri.getPath() == null ? "" : uri.getPath());
      String id = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
      return id.length() > 63 ? id.substring(0, 63) : id;
    }
  }

  @Command(name = "update", description = {
      "Change a registration: read it (GET, for its ETag), then replace it (PUT with If-Match).",
      "Either -f with the new registration (the PUT body, as `seismo get <id> -o yaml` prints it; JSON by the .json"
          + " extension, else YAML; - for stdin), or options for the fields to change: the others stay as they are.",
      "If someone else changed it between the read and the write (HTTP 412), nothing is written: run again."})
  static final class Update extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "the new registration (.json, else YAML; - for stdin)")
    String file;
    @Option(names = "--url", description = "the URL to observe") String url;
    @Mixin FieldOptions fields;

    @Override
    void run() {
      boolean fieldOptions = url != null || fields.any();
      if (file != null && fieldOptions) {
        throw usage("update takes -f or options for fields, not both");
      }
      if (file == null && !fieldOptions) {
        throw usage("nothing to update: give -f FILE or options for the fields to change (--url, --interval, …)");
      }
      ObjectNode replacement = file == null ? null : ApisFile.readRegistration(file, System.in);
      ControlApiClient.Answer replaced = client().changeRegistration(id, "PUT", current -> {
        if (replacement != null) {
          return replacement;
        }
        ObjectNode body = ((ObjectNode) current.body()).deepCopy();
        body.remove(ApisFile.SERVER_FIELDS);
        if (url != null) {
          body.put("url", url);
        }
        fields.applyTo(body);
        return body;
      });
      print(replaced.body(), out -> out.printf("updated %s (version %s)%n", id, replaced.body().path("version").asText()));
    }
  }

  @Command(name = "delete", description = {
      "Delete a registration: read it (GET, for its ETag), then DELETE with If-Match.",
      "Polling stops and its analysed state goes. -o json|yaml prints the registration as it was."})
  static final class Delete extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;

    @Override
    void run() {
      JsonNode[] deleted = new JsonNode[1];
      client().changeRegistration(id, "DELETE", read -> {
        deleted[0] = read.body();
        return null;
      });
      print(deleted[0], out -> out.printf("deleted %s (was version %s)%n", id, deleted[0].path("version").asText()));
    }
  }

  @Command(name = "start", description = "Poll an API (POST /apis/{id}/start; nothing changes if it is running).")
  static final class Start extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;

    @Override
    void run() {
      printDesiredState(this, client().post(apiPath(id, "/start"), null));
    }
  }

  @Command(name = "stop", description = "Stop polling an API (POST /apis/{id}/stop; nothing changes if it is stopped).")
  static final class Stop extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;

    @Override
    void run() {
      printDesiredState(this, client().post(apiPath(id, "/stop"), null));
    }
  }

  private static void printDesiredState(ApiCommand command, JsonNode registration) {
    command.print(registration, out -> out.printf("%s desired state %s (version %s)%n",
        registration.path("apiId").asText(), registration.path("desiredState").asText(),
        registration.path("version").asText()));
  }

  @Command(name = "notify", description = "Send a TEST alert to the API's webhooks and channels (POST /apis/{id}/notify).")
  static final class Notify extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;

    @Override
    void run() {
      JsonNode queued = client().post(apiPath(id, "/notify"), null);
      print(queued, out -> out.printf("queued a %s alert of %s for %s target(s); `seismo alerts %s` shows its deliveries%n",
          queued.path("kind").asText("TEST"), queued.path("apiId").asText(id), queued.path("targets").asText(), id));
    }
  }
}
