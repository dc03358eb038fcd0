package io.seismo.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed tree of each API's last document, so that a changed payload is diffed without parsing the
 * previous document back from the store (measured: a third of the changed path). An entry is only used
 * for the content hash it was parsed for, so it can never stand for another document than the store's,
 * even after a rolled-back transaction. Bounded by the canonical size of the documents it holds: least
 * recently used entries are dropped, and documents over {@link #MAX_DOCUMENT_BYTES} are not kept.
 */
final class DocumentTrees {

  static final int MAX_DOCUMENT_BYTES = 256 * 1024;
  static final long MAX_TOTAL_BYTES = 4L * 1024 * 1024;

  private record Entry(String hash, JsonNode tree, int bytes) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long totalBytes;

  /** The tree of {@code key}'s document with content hash {@code hash}, or null. */
  JsonNode get(String key, String hash) {
    Entry entry = entries.get(key);
    return entry != null && entry.hash().equals(hash) ? entry.tree() : null;
  }

  /** Keeps {@code tree} (not to be modified afterwards) as {@code key}'s document with this hash. */
  void put(String key, String hash, JsonNode tree, int bytes) {
    remove(key);
    if (bytes > MAX_DOCUMENT_BYTES) {
      return;
    }
    entries.put(key, new Entry(hash, tree, bytes));
    totalBytes += bytes;
    var eldest = entries.values().iterator();
    while (totalBytes > MAX_TOTAL_BYTES && eldest.hasNext()) {
      totalBytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  void remove(String key) {
    Entry removed = entries.remove(key);
    if (removed != null) {
      totalBytes -= removed.bytes();
    }
  }

  void clear() {
    entries.clear();
    totalBytes = 0;
  }
}
