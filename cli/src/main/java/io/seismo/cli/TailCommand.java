package io.seismo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Follows an API live, reconnecting with Last-Event-ID when the server ends the stream. */
@Command(name = "tail", description = {
    "Follow an API live (GET /apis/{id}/stream, Server-Sent Events).",
    "First its current document (a `data` event), then a `patch` (RFC 6902) per change. When the server ends the"
        + " stream, tail reconnects with Last-Event-ID and goes on where it left off. -o json prints one"
        + " {\"event\",\"id\",\"data\"} object per line, -o yaml one document per event."})
final class TailCommand extends ApiCommand {
  /** Between the end of a stream and the next connection. */
  static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

  @Parameters(index = "0", paramLabel = "API_ID", description = "the API's apiId") String id;
  @Option(names = {"-n", "--count"}, paramLabel = "N", description = "exit after N events (default: follow until interrupted)")
  Integer count;

  @Override
  void run() throws InterruptedException {
    if (count != null && count < 1) {
      throw usage("--count must be at least 1, was " + count);
    }
    int[] seen = {0};
    String[] lastEventId = {null};
    while (true) {
      boolean enough = client().stream(apiPath(id, "/stream"), lastEventId[0], event -> {
        if (event.event().equals("error")) {
          throw CliException.unavailable("the stream of " + id + " ended: "
              + Output.cell(parse(event.data()).path("detail")));
        }
        if (event.id() != null) {
          lastEventId[0] = event.id();
        }
        printEvent(event);
        return count == null || ++seen[0] < count;
      });
      if (enough) {
        return;
      }
      Thread.sleep(RECONNECT_DELAY);
    }
  }

  private void printEvent(EventStreamLines.Event event) {
    JsonNode data = parse(event.data());
    ObjectNode record = ControlApiClient.json().createObjectNode();
    record.put("event", event.event());
    record.put("id", event.id());
    record.set("data", data);
    switch (format()) {
      case TABLE -> out().printf("%s %-5s %s %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), event.event(),
          event.id() == null ? "-" : event.id(), data.isTextual() ? data.asText() : data.toString());
      case JSON -> out().println(record);
      case YAML -> out().print("---\n" + Output.encode(record, true));
    }
    out().flush();
  }

  private static JsonNode parse(String data) {
    try {
      return ControlApiClient.json().readTree(data);
    } catch (IOException e) {
      return ControlApiClient.json().getNodeFactory().textNode(data);
    }
  }
}
