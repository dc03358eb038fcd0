package io.seismo.topology.analysis;

import io.seismo.schemas.Measured;
import io.seismo.schemas.Sighting;
import io.seismo.schemas.Sightings;
import io.seismo.schemas.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * Which side of an API observed both ways saw each new version of its document first, and by how much.
 * Each side reports the versions it sees (a content hash and when); a version the other side has not
 * seen yet waits in {@link Sightings#getPending()}. When the other side sees it, the pair is matched
 * and the stream's lead (polling's time minus the stream's) counted; the versions of the other side
 * still waiting before it were never seen by this side (replaced before it looked) and count as
 * missed. At most {@value #MAX_PENDING} versions wait; older ones count as missed. Pure: no Kafka.
 */
public final class Freshness {

  static final int MAX_PENDING = 64;

  private Freshness() {}

  /**
   * Records that {@code source} saw version {@code hash} at {@code at}: updates {@code sightings} and
   * adds to {@code measured} (both changed in place). A {@code baseline} is the first version that side
   * saw: matched without a lead, as it says nothing about who is faster.
   */
  public static void see(Sightings sightings, Measured measured, Source source, String hash, long at, boolean baseline) {
    if (!baseline) {
      if (source == Source.POLL) {
        measured.setPollVersions(measured.getPollVersions() + 1);
      } else {
        measured.setStreamVersions(measured.getStreamVersions() + 1);
      }
    }
    List<Sighting> pending = new ArrayList<>(sightings.getPending());
    int match = -1;
    for (int i = 0; i < pending.size(); i++) {
      Sighting waiting = pending.get(i);
      if (waiting.getSource() != source && waiting.getHash().equals(hash)) {
        match = i;
        break;
      }
      if (waiting.getSource() == source && waiting.getHash().equals(hash)) {
        return; // this side saw it before (the data went back to an earlier version): still waiting
      }
    }
    if (match < 0) {
      pending.add(new Sighting(hash, source, at, baseline));
      while (pending.size() > MAX_PENDING) {
        missed(measured, pending.removeFirst());
      }
      sightings.setPending(pending);
      return;
    }
    Sighting first = pending.get(match);
    List<Sighting> kept = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      Sighting waiting = pending.get(i);
      if (i < match && waiting.getSource() == first.getSource()) {
        missed(measured, waiting); // the other side's older versions: this side never saw them
      } else if (i != match) {
        kept.add(waiting);
      }
    }
    sightings.setPending(kept);
    if (baseline || first.getBaseline()) {
      return;
    }
    long streamLead = source == Source.POLL ? at - first.getAt() : first.getAt() - at;
    measured.setMatched(measured.getMatched() + 1);
    if (first.getSource() == Source.SSE) {
      measured.setStreamFirst(measured.getStreamFirst() + 1);
    } else {
      measured.setPollFirst(measured.getPollFirst() + 1);
    }
    measured.setStreamLeadSumMs(measured.getStreamLeadSumMs() + streamLead);
    measured.setStreamLeadMaxMs(Math.max(measured.getStreamLeadMaxMs(), streamLead));
  }

  private static void missed(Measured measured, Sighting version) {
    if (version.getBaseline()) {
      return;
    }
    if (version.getSource() == Source.SSE) {
      measured.setMissedByPolling(measured.getMissedByPolling() + 1);
    } else {
      measured.setMissedByStream(measured.getMissedByStream() + 1);
    }
  }
}
