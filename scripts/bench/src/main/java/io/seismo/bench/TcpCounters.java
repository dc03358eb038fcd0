package io.seismo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The kernel's TCP counters that explain a latency stall of about a second: accept queues that overflowed
 * (ListenOverflows) and SYNs the clients had to resend (TCPSynRetrans), from /proc/net/netstat (Linux only).
 */
record TcpCounters(Map<String, Long> values) {

  private static final List<String> NAMES = List.of("ListenOverflows", "ListenDrops", "TCPSynRetrans");

  static TcpCounters read() {
    Map<String, Long> values = new TreeMap<>();
    try {
      // readAllLines, not readString: procfs files report size 0 and readString then reads one byte
      List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
      for (int i = 0; i + 1 < lines.size(); i += 2) {
        String[] names = lines.get(i).split("\\s+");
        String[] numbers = lines.get(i + 1).split("\\s+");
        for (int j = 1; j < names.length && j < numbers.length; j++) {
          if (NAMES.contains(names[j])) {
            values.put(names[j], Long.parseLong(numbers[j]));
          }
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      return new TcpCounters(Map.of());
    }
    return new TcpCounters(values);
  }

  /** "ListenOverflows +0, ListenDrops +0, TCPSynRetrans +3" since {@code before}, or "not available". */
  String since(TcpCounters before) {
    if (values.isEmpty() || before.values.isEmpty()) {
      return "kernel TCP counters not available";
    }
    StringJoiner text = new StringJoiner(", ", "kernel (whole machine) ", "");
    for (String name : NAMES) {
      if (values.containsKey(name)) {
        text.add(name + " +" + (values.get(name) - before.values.getOrDefault(name, 0L)));
      }
    }
    return text.toString();
  }
}
