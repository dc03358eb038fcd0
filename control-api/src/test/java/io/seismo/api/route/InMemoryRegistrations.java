package io.seismo.api.route;

import io.seismo.api.registration.Registrations;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/** The registration table and its writer as a sorted map: a write runs its decision and applies it, one at a time. */
final class InMemoryRegistrations implements Registrations {

  private final NavigableMap<String, Registration> byId = new ConcurrentSkipListMap<>();
  private volatile boolean loaded = true;

  void put(Registration registration) {
    byId.put(registration.getApiId(), registration);
  }

  void loading() {
    loaded = false;
  }

  @Override
  public boolean loaded() {
    return loaded;
  }

  @Override
  public Optional<Registration> get(String apiId) {
    return Optional.ofNullable(byId.get(apiId));
  }

  @Override
  public List<Registration> page(String after, int limit, DesiredState state) {
    List<Registration> page = new ArrayList<>();
    for (Registration registration : (after == null ? byId : byId.tailMap(after, false)).values()) {
      if (state == null || registration.getDesiredState() == state) {
        page.add(registration);
      }
      if (page.size() == limit) {
        break;
      }
    }
    return page;
  }

  @Override
  public synchronized void write(String apiId, Supplier<Registration> decide) {
    Registration value = decide.get();
    if (value == null) {
      byId.remove(apiId);
    } else {
      byId.put(apiId, value);
    }
  }
}
