package io.seismo.topology.change;

import io.seismo.schemas.FieldChanges;
import io.seismo.schemas.FieldFrequency;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Counts, in one window's {@link FieldFrequency}, the samples in which each normalised path changed,
 * bounded to {@link #MAX_PATHS} paths. When a new path arrives at a full table, the path with the fewest
 * changes (the oldest of those with as few) is evicted: its count is added to {@code otherChanges} and
 * {@code otherPaths} counts the eviction. So a path's count is exact since it last entered the table
 * (a path evicted and seen again starts from one), the paths that change most stay, and a document that
 * changes a new path every time (keys that are timestamps) cannot grow the record.
 */
public final class FieldTable {

  public static final int MAX_PATHS = 32;

  private FieldTable() {}

  public static FieldFrequency empty(String apiId, String window, long start, long end) {
    return FieldFrequency.newBuilder().setApiId(apiId).setWindow(window).setWindowStart(start).setWindowEnd(end)
        .setPaths(new ArrayList<>()).build();
  }

  /**
   * Counts one analysed payload: {@code json} whether it was JSON, {@code changed} whether it changed
   * the document, {@code paths} the normalised paths it changed (each once). Changes {@code frequency}.
   */
  public static void add(FieldFrequency frequency, long at, boolean json, boolean changed, List<String> paths) {
    List<FieldChanges> table = frequency.getPaths() instanceof ArrayList<FieldChanges> list ? list
        : new ArrayList<>(frequency.getPaths());
    for (String path : paths) {
      FieldChanges entry = find(table, path);
      if (entry != null) {
        entry.setChanges(entry.getChanges() + 1);
        continue;
      }
      if (table.size() >= MAX_PATHS) {
        FieldChanges least = table.stream().min(Comparator.comparingLong(FieldChanges::getChanges)).orElseThrow();
        table.remove(least);
        frequency.setOtherChanges(frequency.getOtherChanges() + least.getChanges());
        frequency.setOtherPaths(frequency.getOtherPaths() + 1);
      }
      table.add(new FieldChanges(path, 1L));
    }
    frequency.setPaths(table);
    frequency.setSamples(frequency.getSamples() + 1);
    if (!json) {
      frequency.setNotJsonSamples(frequency.getNotJsonSamples() + 1);
    }
    if (changed) {
      frequency.setChanges(frequency.getChanges() + 1);
    }
    frequency.setUpdatedAt(Math.max(frequency.getUpdatedAt(), at));
  }

  private static FieldChanges find(List<FieldChanges> table, String path) {
    for (FieldChanges entry : table) {
      if (entry.getPath().equals(path)) {
        return entry;
      }
    }
    return null;
  }

  /** The paths, most changed first (ties by path). */
  public static List<FieldChanges> ranked(FieldFrequency frequency) {
    List<FieldChanges> ranked = new ArrayList<>(frequency.getPaths());
    ranked.sort(Comparator.comparingLong(FieldChanges::getChanges).reversed().thenComparing(FieldChanges::getPath));
    return ranked;
  }
}
