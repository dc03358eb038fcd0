package io.seismo.ingest.sse;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.observe.JobState;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.SocketFactory;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the SSE jobs of this instance (registrations with mode SSE or BOTH). Streams share one OkHttp
 * client whose dispatcher runs calls on virtual threads, so hundreds of open streams cost no platform
 * threads; reads never time out (read-idle detection is the jobs' own).
 */
public final class SseSupervisor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SseSupervisor.class);

  private final IngestConfig config;
  private final AddressGuard guard;
  private final SecretResolver secrets;
  private final SseEventSink sink;
  private final OkHttpClient client;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("seismo-sse-timer").daemon().factory());
  private final Map<String, SseJob> jobs = new ConcurrentHashMap<>();
  private final Function<Registration, Optional<String>> resume;

  public SseSupervisor(IngestConfig config, OkHttpClient guardedClient, AddressGuard guard, SecretResolver secrets,
                       SseEventSink sink) {
    this(config, guardedClient, guard, secrets, sink, registration -> Optional.empty());
  }

  /**
   * @param resume the {@code Last-Event-ID} a stream starting for a registration resumes after (a Kafka
   *               Connect task's stored source offsets); empty: the stream starts afresh
   */
  public SseSupervisor(IngestConfig config, OkHttpClient guardedClient, AddressGuard guard, SecretResolver secrets,
                       SseEventSink sink, Function<Registration, Optional<String>> resume) {
    this.resume = resume;
    this.config = config;
    this.guard = guard;
    this.secrets = secrets;
    this.sink = sink;
    Dispatcher dispatcher = new Dispatcher(Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("seismo-sse-", 0).factory()));
    dispatcher.setMaxRequests(100_000);
    dispatcher.setMaxRequestsPerHost(10_000);
    this.client = guardedClient.newBuilder()
        .dispatcher(dispatcher)
        // not the poller's sockets and protocols: a stream may be quiet (idle detection is ours)
        .socketFactory(SocketFactory.getDefault())
        .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
        .readTimeout(0, TimeUnit.MILLISECONDS)
        .callTimeout(0, TimeUnit.MILLISECONDS)
        .followRedirects(false)
        .addNetworkInterceptor(new ActivityInterceptor())
        .build();
  }

  /** Starts, replaces or stops the SSE job of a registration; {@code null} means deleted. */
  public void apply(String apiId, Registration registration) {
    boolean shouldRun = registration != null && registration.getDesiredState() == DesiredState.RUNNING
        && (registration.getMode() == ApiMode.SSE || registration.getMode() == ApiMode.BOTH);
    SseJob current = jobs.get(apiId);
    if (!shouldRun) {
      stop(apiId);
      return;
    }
    if (current != null && current.registration().equals(registration)) {
      return;
    }
    stop(apiId);
    SseJob job = new SseJob(registration, client, guard, secrets, sink, timer, config.sseIdleTimeout(),
        config.maxBackoff(), Clock.systemUTC(), resume.apply(registration).orElse(null));
    jobs.put(apiId, job);
    job.start();
    log.info("sse job started apiId={} idleTimeoutMs={}", apiId, config.sseIdleTimeout().toMillis());
  }

  public void stop(String apiId) {
    SseJob job = jobs.remove(apiId);
    if (job != null) {
      job.stop();
      log.info("sse job stopped apiId={}", apiId);
    }
  }

  /** The state of each SSE job, for /metrics. */
  public List<JobState> states() {
    return jobs.entrySet().stream().map(e -> {
      SseJob job = e.getValue();
      int failures = job.consecutiveFailures();
      String state = job.open() ? JobState.UP
          : failures > 0 ? JobState.FAILING : JobState.PENDING;
      return new JobState(e.getKey(), "sse", state, failures);
    }).toList();
  }

  public Set<String> running() {
    return Set.copyOf(jobs.keySet());
  }

  @Override
  public void close() {
    jobs.keySet().forEach(this::stop);
    timer.shutdownNow();
    client.dispatcher().executorService().shutdownNow();
    client.connectionPool().evictAll();
  }
}
