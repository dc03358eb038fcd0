package io.seismo.system;

import io.seismo.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.TreeMap;

/** Reads the output topics into {@link Verifier.Outputs}: the last status and registration, every change, every window. */
final class OutputTopics {

  private OutputTopics() {}

  static Verifier.Outputs read(TopicReader reader) {
    Verifier.Outputs outputs = new Verifier.Outputs(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    reader.readTopic(Topics.STATUS, (key, status) -> outputs.statuses().put(key, status));
    reader.readTopic(Topics.CHANGES, (key, change) -> outputs.changes().computeIfAbsent(key, k -> new ArrayList<>()).add(change));
    reader.readTopic(Topics.METRICS, (key, m) -> outputs.metrics().computeIfAbsent(m.getApiId(), k -> new HashMap<>())
        .computeIfAbsent(m.getWindow(), k -> new TreeMap<>()).put(m.getWindowStart(), m));
    reader.readTopic(Topics.REGISTRATIONS, (key, registration) -> {
      if (registration == null) {
        outputs.registrations().remove(key);
      } else {
        outputs.registrations().put(key, registration);
      }
    });
    return outputs;
  }
}
