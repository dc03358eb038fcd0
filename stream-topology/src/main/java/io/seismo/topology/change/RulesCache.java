package io.seismo.topology.change;

import io.seismo.schemas.Registration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each API's parsed {@link ChangeRules}, kept as long as its registration object is the same one (the
 * topology's registration table keeps objects and replaces them when a registration changes), so the
 * patterns are parsed once per registration, not per sample. Bounded: least recently used APIs go.
 */
public final class RulesCache {

  private static final int MAX_ENTRIES = 10_000;

  private record Cached(Registration registration, ChangeRules rules) {}

  private final Map<String, Cached> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  public ChangeRules of(String apiId, Registration registration) {
    if (registration == null) {
      return ChangeRules.NONE;
    }
    Cached entry = entries.get(apiId);
    if (entry == null || entry.registration() != registration) {
      entry = new Cached(registration, ChangeRules.of(registration));
      entries.put(apiId, entry);
    }
    return entry.rules();
  }
}
