package io.seismo.api.stream;

import io.seismo.api.error.ProblemException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Admission of streams: at most {@code maxPerCaller} per caller and {@code maxTotal} in all, else a 429 or 503 problem. */
final class StreamAdmission {

  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final StreamSettings settings;
  private final Map<String, Integer> perCaller = new HashMap<>(); // guarded by this
  private int total; // guarded by this

  StreamAdmission(StreamSettings settings) {
    this.settings = settings;
  }

  synchronized int open() {
    return total;
  }

  /** A slot for one more stream of {@code caller}, or a 503 (instance full) / 429 (caller at its limit) problem. */
  synchronized Lease admit(String caller) {
    checkAdmissible(caller);
    perCaller.merge(caller, 1, Integer::sum);
    total++;
    return new Lease(caller);
  }

  /** The problem {@link #admit} would throw now for {@code caller}, without taking a slot (HEAD). */
  synchronized void checkAdmissible(String caller) {
    if (total >= settings.maxTotal()) {
      throw new ProblemException(503, "too-many-streams", "Too many streams",
          "this instance serves its maximum of " + settings.maxTotal() + " streams; retry later or on another instance",
          List.of(), Optional.of(RETRY_AFTER));
    }
    int mine = perCaller.getOrDefault(caller, 0);
    if (mine >= settings.maxPerCaller()) {
      throw new ProblemException(429, "too-many-streams", "Too many streams",
          "at most " + settings.maxPerCaller() + " concurrent streams per caller; close one first",
          List.of(), Optional.of(RETRY_AFTER));
    }
  }

  private synchronized void release(String caller) {
    perCaller.computeIfPresent(caller, (key, count) -> count <= 1 ? null : count - 1);
    total--;
  }

  /** An admitted stream's slot; closing it (once) frees the slot. */
  final class Lease implements AutoCloseable {
    private final String caller;
    private boolean released;

    private Lease(String caller) {
      this.caller = caller;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      release(caller);
    }
  }
}
