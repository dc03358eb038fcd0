package io.seismo.cli;

import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads Server-Sent Events from the lines of a {@code text/event-stream} body, as EventSource does. */
final class EventStreamLines {

  private EventStreamLines() {}

  /** One Server-Sent Event: its {@code event:} (default {@code message}), {@code id:} and {@code data:} lines. */
  record Event(String event, String id, String data) {}

  /** Hands each event to {@code each} until it answers false (then true is returned) or the lines end (false). */
  static boolean read(Stream<String> lines, Predicate<Event> each) {
    String event = null;
    String id = null;
    StringBuilder data = null;
    for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
      String line = it.next();
      if (line.isEmpty()) { // the end of an event
        if (data != null && !each.test(new Event(event == null ? "message" : event, id, data.toString()))) {
          return true;
        }
        event = null;
        data = null;
      } else if (!line.startsWith(":")) { // a comment (heartbeat) carries nothing
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
        switch (field) {
          case "event" -> event = value;
          case "id" -> id = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> { } // retry and unknown fields: ignored, as EventSource does
        }
      }
    }
    return false;
  }
}
