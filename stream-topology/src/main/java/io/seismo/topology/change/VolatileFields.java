package io.seismo.topology.change;

import io.seismo.schemas.FieldChanges;
import io.seismo.schemas.FieldFrequency;
import java.util.ArrayList;
import java.util.List;

/**
 * Suggests ignore rules from a window's per-field frequency: a path that changed in at least
 * {@link #VOLATILE_SHARE} of the window's samples (at least {@link #MIN_SAMPLES} of them) while the rest
 * of the document is calm — every other path changed in at most {@link #CALM_SHARE} of them — is
 * volatile: a server timestamp, a request id, a counter, a nonce. Ignoring it makes the change frequency
 * tell what the data does. Several volatile paths (a timestamp and a request id) are suggested together.
 * The whole document ({@code ""}) is never suggested.
 */
public final class VolatileFields {

  public static final double VOLATILE_SHARE = 0.95;
  public static final double CALM_SHARE = 0.5;
  public static final long MIN_SAMPLES = 10;

  /** A suggested ignore rule: the pattern (the normalised path) and the share of samples it changed in. */
  public record Suggestion(String pattern, long changes, long samples, double share) {}

  private VolatileFields() {}

  public static List<Suggestion> suggest(FieldFrequency window) {
    long samples = window.getSamples() - window.getNotJsonSamples();
    if (samples < MIN_SAMPLES) {
      return List.of();
    }
    List<Suggestion> volatilePaths = new ArrayList<>();
    for (FieldChanges entry : FieldTable.ranked(window)) {
      double share = (double) entry.getChanges() / samples;
      if (share >= VOLATILE_SHARE && !entry.getPath().isEmpty()) {
        volatilePaths.add(new Suggestion(entry.getPath(), entry.getChanges(), samples, share));
      } else if (share > CALM_SHARE) {
        return List.of(); // something else changes often too: the document itself is busy
      }
    }
    return volatilePaths;
  }
}
