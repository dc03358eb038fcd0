package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What Seismo measured: status, metrics, changes, logs and alerts (tail, the live stream, is {@link TailCommand}). */
final class ObservationCommands {

  private ObservationCommands() {}

  @Command(name = "status", description = "Show the analysed status of an API (GET /apis/{id}/status).")
  static final class Status extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;

    @Override
    void run() {
      JsonNode s = client().get(apiPath(id, "/status"));
      print(s, out -> {
        Output.Details details = new Output.Details(id)
            .row("state", s.path("state").asText())
            .row("samples", s.path("samples").asText() + " (" + s.path("notModified").asText() + " not modified, "
                + s.path("errors").asText() + " errors)")
            .row("changes", s.path("changes").asText() + (s.path("changeRatio").isNumber()
                ? String.format(Locale.ROOT, " (%.1f%% of payloads)", 100 * s.path("changeRatio").asDouble()) : ""))
            .row("last sample", s.path("lastSampleAt").asText("-") + " HTTP " + s.path("lastHttpStatus").asText()
                + " in " + s.path("lastLatencyMs").asText() + " ms")
            .row("last change", s.path("lastChangeAt").asText("-"))
            .row("payload", s.path("lastPayloadBytes").asText() + " bytes");
        JsonNode e = s.path("efficiency");
        details.row("bytes", String.format(Locale.ROOT, "polled %d, conditional %d, streamed %d",
            e.path("bytesPolled").asLong(), e.path("bytesConditional").asLong(), e.path("bytesStreamed").asLong()));
        if (e.path("streamingSavingRatio").isNumber()) {
          details.row("savings", String.format(Locale.ROOT, "conditional %.1f%%, streaming %.1f%% vs plain polling",
              100 * e.path("conditionalSavingRatio").asDouble(), 100 * e.path("streamingSavingRatio").asDouble()));
        }
        if (s.path("measured").hasNonNull("summary")) {
          details.row("measured", s.path("measured").path("summary").asText()); // mode BOTH: polling vs streaming
        }
        if (s.hasNonNull("lastError")) {
          details.row("last error", s.path("lastError").path("category").asText() + ": "
              + s.path("lastError").path("message").asText());
        }
        details.print(out);
      });
    }
  }

  @Command(name = "metrics", description = "Windowed aggregates of an API, oldest first (GET /apis/{id}/metrics).")
  static final class Metrics extends ApiCommand {
    /** The windows the server keeps (completion candidates of --window). */
    static final class Windows extends ArrayList<String> {
      Windows() {
        super(List.of("1m", "1h", "1d"));
      }
    }

    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;
    @Option(names = "--window", completionCandidates = Windows.class,
        description = "${COMPLETION-CANDIDATES} (server default: 1m)") String window;
    @Option(names = "--from", paramLabel = "INSTANT", description = "ISO-8601 (server default: 60 windows before --to)") Instant from;
    @Option(names = "--to", paramLabel = "INSTANT", description = "ISO-8601 (server default: now)") Instant to;

    @Override
    void run() {
      List<String> query = new ArrayList<>();
      if (window != null) {
        if (!new Windows().contains(window)) {
          throw usage("--window must be 1m, 1h or 1d, was '" + window + "'");
        }
        query.add("window=" + window);
      }
      if (from != null) {
        query.add("from=" + from);
      }
      if (to != null) {
        query.add("to=" + to);
      }
      JsonNode metrics = client().get(apiPath(id, "/metrics") + (query.isEmpty() ? "" : "?" + String.join("&", query)));
      print(metrics, out -> {
        Output.Table table = new Output.Table("WINDOW", "SAMPLES", "CHANGES", "ERRORS", "P50 MS", "P95 MS", "MEAN BYTES");
        for (JsonNode m : metrics.path("items")) {
          table.row(m.path("windowStart").asText(), Output.cell(m.path("samples")), Output.cell(m.path("changes")),
              Output.cell(m.path("errors")), Output.cell(m.path("latencyP50Ms")), Output.cell(m.path("latencyP95Ms")),
              Output.cell(m.path("sizeMean")));
        }
        out.printf("%s, %s windows from %s to %s%n", metrics.path("apiId").asText(id), metrics.path("window").asText(),
            metrics.path("from").asText(), metrics.path("to").asText());
        table.print(out);
      });
    }
  }

  @Command(name = "changes", description = "The most recent changes of an API with their JSON Patches, newest first (GET /apis/{id}/changes).")
  static final class Changes extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;
    @Option(names = "--limit", paramLabel = "N", description = "at most N (1-20; server default 20)") Integer limit;

    @Override
    void run() {
      JsonNode changes = client().get(apiPath(id, "/changes") + (limit == null ? "" : "?limit=" + limit));
      print(changes, out -> {
        Output.Table table = new Output.Table("AT", "SOURCE", "OPS", "PATCH");
        for (JsonNode c : changes.path("items")) {
          table.row(c.path("at").asText(), c.path("source").asText(), Output.cell(c.path("opCount")),
              c.path("patch").isNull() ? "(not JSON: compared by hash)" : Output.shorten(c.path("patch").toString(), 100));
        }
        table.print(out);
      });
    }
  }

  @Command(name = "logs", description = "The execution log of an API, newest first: polls and stream connection events (GET /apis/{id}/logs).")
  static final class Logs extends ApiCommand {
    @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;
    @Option(names = "--limit", paramLabel = "N", description = "at most N (1-500; server default 50)") Integer limit;
    @Option(names = "--source", paramLabel = "poll|sse", description = "polls only, or stream connection events only") String source;
    @Option(names = "--cursor", paramLabel = "CURSOR", description = "the page after this one (printed as 'next' under a page)") String cursor;

    @Override
    void run() {
      List<String> query = new ArrayList<>();
      if (limit != null) {
        query.add("limit=" + limit);
      }
      if (source != null) {
        query.add("source=" + ControlApiClient.query(source));
      }
      if (cursor != null) {
        query.add("cursor=" + ControlApiClient.query(cursor));
      }
      JsonNode logs = client().get(apiPath(id, "/logs") + (query.isEmpty() ? "" : "?" + String.join("&", query)));
      print(logs, out -> {
        Output.Table table = new Output.Table("AT", "KIND", "HTTP", "MS", "DNS/CONN/TLS/WAIT", "BYTES", "CHANGED", "ERROR OR DETAIL");
        for (JsonNode e : logs.path("items")) {
          JsonNode error = e.path("error");
          boolean poll = "POLL".equals(e.path("kind").asText("POLL"));
          String detail = error.isObject() ? error.path("category").asText() + ": " + error.path("message").asText()
              : poll ? "-" : e.path("detail").asText("-") + (poll ? "" : " (" + e.path("connectionEvents").asLong() + " events)");
          table.row(e.path("at").asText(), e.path("kind").asText("POLL"), Output.cell(e.path("httpStatus")),
              poll ? Output.cell(e.path("latencyMs")) : "-", phases(e.path("timings")),
              poll ? Output.cell(e.path("bodyBytes")) : Output.cell(e.path("connectionBytes")),
              e.path("changed").asBoolean() ? "yes" : "no", Output.shorten(detail, 80));
        }
        table.print(out);
        if (logs.path("next").isTextual()) {
          out.println("next: --cursor " + logs.path("next").asText());
        }
      });
    }

    /** "3/4/-/80": DNS, connect, TLS and first-byte milliseconds, "-" for a phase that did not happen. */
    private static String phases(JsonNode timings) {
      if (!timings.isObject()) {
        return "-";
      }
      StringBuilder text = new StringBuilder();
      for (String phase : new String[] {"dnsMs", "connectMs", "tlsMs", "firstByteMs"}) {
        long ms = timings.path(phase).asLong(-1);
        text.append(text.isEmpty() ? "" : "/").append(ms < 0 ? "-" : Long.toString(ms));
      }
      return text.toString();
    }
  }

  @Command(name = "alerts",
      description = "Alerts, newest first, with their deliveries: of all APIs (GET /alerts) or of one (GET /apis/{id}/alerts).")
  static final class Alerts extends ApiCommand {
    enum Kind { UNKNOWN, FAILING, STALLED, RECOVERED, CHANGED, THRESHOLD, TEST }

    @Parameters(index = "0", arity = "0..1", paramLabel = "API_ID", description = "the API (default: all)") String id;
    @Option(names = "--kind", description = "only alerts of this kind: ${COMPLETION-CANDIDATES}") Kind kind;
    @Option(names = "--limit", paramLabel = "N", description = "at most N (1-200; server default 50)") Integer limit;

    @Override
    void run() {
      List<String> query = new ArrayList<>();
      if (limit != null) {
        query.add("limit=" + limit);
      }
      if (kind != null && id == null) {
        query.add("kind=" + kind);
      }
      JsonNode alerts = client().get((id == null ? "/alerts" : apiPath(id, "/alerts"))
          + (query.isEmpty() ? "" : "?" + String.join("&", query)));
      if (kind != null && id != null) { // GET /apis/{id}/alerts has no kind filter: filtered here
        ObjectNode filtered = alerts.deepCopy();
        ArrayNode items = filtered.putArray("items");
        alerts.path("items").forEach(alert -> {
          if (alert.path("kind").asText().equals(kind.name())) {
            items.add(alert);
          }
        });
        alerts = filtered;
      }
      JsonNode shown = alerts;
      print(shown, out -> {
        Output.Table table = new Output.Table("AT", "API", "KIND", "DELIVERIES", "DETAIL");
        for (JsonNode a : shown.path("items")) {
          List<String> outcomes = new ArrayList<>();
          a.path("deliveries").forEach(d -> outcomes.add(d.path("outcome").asText("PENDING")));
          table.row(a.path("at").asText(), a.path("apiId").asText(), a.path("kind").asText(),
              outcomes.isEmpty() ? "-" : String.join(",", outcomes), Output.shorten(a.path("detail").asText(), 100));
        }
        table.print(out);
      });
    }
  }
}
