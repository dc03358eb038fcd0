package io.seismo.ingest;

import io.seismo.ingest.poll.PollScheduler;
import io.seismo.ingest.sse.SseSupervisor;
import io.seismo.schemas.Registration;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** The jobs of this instance, polling and streaming, driven by registrations. */
public final class Jobs {

  private final PollScheduler polls;
  private final SseSupervisor streams;

  public Jobs(PollScheduler polls, SseSupervisor streams) {
    this.polls = polls;
    this.streams = streams;
  }

  /** Starts, replaces or stops the jobs of a registration; {@code null} means the API was deleted. */
  public void apply(String apiId, Registration registration) {
    polls.apply(apiId, registration);
    streams.apply(apiId, registration);
  }

  public void stopAll(Set<String> apiIds) {
    apiIds.forEach(apiId -> {
      polls.stop(apiId);
      streams.stop(apiId);
    });
  }

  /**
   * Stops the jobs of APIs another instance takes over: answered polls in flight are still delivered
   * (waited for up to {@code timeout}) before this returns.
   */
  public void handOver(Set<String> apiIds, Duration timeout) {
    polls.handOver(apiIds, timeout);
    apiIds.forEach(streams::stop);
  }

  /** The apiIds this instance polls or streams right now. */
  public Set<String> running() {
    Set<String> running = new HashSet<>(polls.running());
    running.addAll(streams.running());
    return running;
  }
}
