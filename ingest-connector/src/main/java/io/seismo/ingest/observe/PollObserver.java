package io.seismo.ingest.observe;

import io.seismo.schemas.PollResult;
import java.time.Duration;

/** What the poll scheduler reports: each poll done, and how late it started. */
public interface PollObserver {

  PollObserver NONE = new PollObserver() {
    @Override
    public void polled(PollResult result) {}

    @Override
    public void started(Duration lag) {}
  };

  /** A poll was done (whatever became of its result). */
  void polled(PollResult result);

  /** A poll started {@code lag} after the time it was scheduled for (waiting for a timer, a thread or a host permit). */
  void started(Duration lag);
}
