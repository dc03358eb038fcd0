package io.seismo.ingest.poll;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.observe.JobState;
import io.seismo.ingest.observe.PollObserver;
import io.seismo.ingest.produce.RawEventSink;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the poll jobs of this instance. One platform thread keeps time; every poll runs on its own
 * virtual thread, so hundreds of slow upstreams cost no platform threads. A per-host semaphore bounds
 * concurrent requests to one upstream. Jobs start with a random offset within their interval so that
 * a restart does not fire every poll at once.
 */
public final class PollScheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PollScheduler.class);

  private final IngestConfig config;
  private final HttpPoller poller;
  private final RawEventSink producer;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("seismo-poll-timer").daemon().factory());
  private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("seismo-poll-", 0).factory());
  private final Map<String, Running> jobs = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> hostPermits = new ConcurrentHashMap<>();

  private final PollObserver observer;
  private final Function<Registration, Optional<PollCheckpoint>> resume;

  public PollScheduler(IngestConfig config, HttpPoller poller, RawEventSink producer) {
    this(config, poller, producer, PollObserver.NONE);
  }

  public PollScheduler(IngestConfig config, HttpPoller poller, RawEventSink producer,
                       PollObserver observer) {
    this(config, poller, producer, observer, registration -> Optional.empty());
  }

  /**
   * @param resume where a job starting for a registration continues from (a Kafka Connect task's stored
   *               source offsets); empty: a fresh job, whose first sequence is the time in microseconds
   */
  public PollScheduler(IngestConfig config, HttpPoller poller, RawEventSink producer,
                       PollObserver observer,
                       Function<Registration, Optional<PollCheckpoint>> resume) {
    this.config = config;
    this.poller = poller;
    this.producer = producer;
    this.observer = observer;
    this.resume = resume;
  }

  /** The state of each poll job, for /metrics. */
  public List<JobState> states() {
    return jobs.entrySet().stream().map(e -> {
      PollJob job = e.getValue().job;
      int failures = job.consecutiveFailures();
      String state = !job.polledYet() ? JobState.PENDING
          : failures == 0 ? JobState.UP : JobState.FAILING;
      return new JobState(e.getKey(), "poll", state, failures);
    }).toList();
  }

  /** Starts, replaces or stops the job of a registration; {@code null} means the API was deleted. */
  public void apply(String apiId, Registration registration) {
    Running current = jobs.get(apiId);
    boolean shouldRun = registration != null && registration.getDesiredState() == DesiredState.RUNNING
        && registration.getMode() != ApiMode.SSE;
    if (!shouldRun) {
      if (current != null) {
        stop(apiId);
      }
      return;
    }
    if (current != null && current.job.registration().equals(registration)) {
      return; // replayed record, nothing changed
    }
    if (current != null) {
      stop(apiId);
    }
    long firstSequence = System.currentTimeMillis() * 1000; // increases across restarts and instances
    Optional<PollCheckpoint> checkpoint = resume.apply(registration);
    Running running = new Running(checkpoint.isPresent()
        ? new PollJob(registration, config.minInterval(), config.maxBackoff(), checkpoint.get())
        : new PollJob(registration, config.minInterval(), config.maxBackoff(), firstSequence));
    jobs.put(apiId, running);
    long interval = Math.max(registration.getPollIntervalMs(), config.minInterval().toMillis());
    long offset = current == null ? ThreadLocalRandom.current().nextLong(Math.min(interval, 1_000) + 1) : 0;
    schedule(apiId, running, running.job.scheduled(Instant.now(), Duration.ofMillis(offset)));
    log.info("poll job started apiId={} intervalMs={} version={}", apiId, interval, registration.getVersion());
  }

  public void stop(String apiId) {
    Running running = jobs.remove(apiId);
    if (running != null) {
      running.cancelled = true;
      ScheduledFuture<?> next = running.next;
      if (next != null) {
        next.cancel(false);
      }
      log.info("poll job stopped apiId={}", apiId);
    }
  }

  public void stopAll(Set<String> apiIds) {
    apiIds.forEach(this::stop);
  }

  /**
   * Stops the jobs of APIs that another instance takes over (their partitions were revoked, or this one
   * stops): a poll in flight still delivers its result — the upstream answered it — and this returns
   * once it has been handed to the producer, so the next owner's first poll follows it on the topic.
   * Waits at most {@code timeout} in all (then the late results are still sent, out of order).
   */
  public void handOver(Set<String> apiIds, Duration timeout) {
    List<Running> handedOver = new ArrayList<>();
    for (String apiId : apiIds) {
      Running running = jobs.remove(apiId);
      if (running != null) {
        running.handedOver = true;
        running.cancelled = true;
        ScheduledFuture<?> next = running.next;
        if (next != null) {
          next.cancel(false);
        }
        handedOver.add(running);
        log.info("poll job handed over apiId={}", apiId);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Running running : handedOver) {
      try {
        if (running.busy.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          running.busy.unlock();
        } else {
          log.warn("poll still in flight after {} while handing over apiId={}", timeout, running.job.registration().getApiId());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public Set<String> running() {
    return Set.copyOf(jobs.keySet());
  }

  private void schedule(String apiId, Running running, Duration delay) {
    if (running.cancelled || timer.isShutdown()) {
      return;
    }
    running.dueNanos = System.nanoTime() + delay.toNanos();
    running.next = timer.schedule(() -> workers.execute(() -> runOnce(apiId, running)),
        delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runOnce(String apiId, Running running) {
    try (MDC.MDCCloseable context = MDC.putCloseable("apiId", apiId)) { // a separate field in JSON logs
      pollOnce(apiId, running);
    }
  }

  private void pollOnce(String apiId, Running running) {
    running.busy.lock(); // a hand-over waits for the poll in flight
    Duration delay;
    try {
      if (running.cancelled) {
        return;
      }
      Semaphore permits = hostPermits.computeIfAbsent(running.job.host(), h -> new Semaphore(config.hostConcurrency()));
      permits.acquire();
      try {
        observer.started(Duration.ofNanos(System.nanoTime() - running.dueNanos));
        HttpPoller.Polled polled = poller.poll(running.job.nextRequest());
        observer.polled(polled.result());
        if (running.cancelled && !running.handedOver) {
          return; // stopped or replaced while in flight: its result belongs to no job
        }
        producer.send(polled.result()); // handed over while in flight: the answer is still recorded
        delay = running.job.scheduled(Instant.now(), running.job.onResult(polled));
      } finally {
        permits.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      log.error("poll job failed unexpectedly apiId={} error={}", apiId, e.toString(), e);
      delay = config.maxBackoff();
    } finally {
      running.busy.unlock();
    }
    schedule(apiId, running, delay);
  }

  @Override
  public void close() {
    jobs.keySet().forEach(this::stop);
    timer.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("abandoning in-flight polls after {}", config.shutdownTimeout());
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
  }

  private static final class Running {
    final PollJob job;
    /** Held while a poll of the job runs. */
    final ReentrantLock busy = new ReentrantLock();
    volatile boolean cancelled;
    /** Stopped because another instance takes the API over: a poll in flight is still delivered. */
    volatile boolean handedOver;
    volatile ScheduledFuture<?> next;
    volatile long dueNanos;

    Running(PollJob job) {
      this.job = job;
    }
  }
}
