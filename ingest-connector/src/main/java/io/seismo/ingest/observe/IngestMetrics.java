package io.seismo.ingest.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.schemas.PollResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The Prometheus registry of an ingest instance, scraped at {@code GET /metrics}; the meters are listed in the
 * README (at most {@value #MAX_JOB_SERIES} per-job series).
 */
public final class IngestMetrics implements PollObserver, AutoCloseable {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** Per-job series at most: the jobs with the most consecutive failures (jobs that are up have none). */
  public static final int MAX_JOB_SERIES = 500;
  private static final List<String> KINDS = List.of("poll", "sse");
  private static final List<String> STATES = List.of(JobState.PENDING, JobState.UP, JobState.FAILING);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter pollsOk = polls("ok");
  private final Counter pollsNotModified = polls("not_modified");
  private final Counter pollsFailed = polls("error");
  private final Timer scheduleLag = Timer.builder("seismo.ingest.schedule.lag")
      .description("how late polls started after the time they were scheduled for").register(registry);
  private final MultiGauge jobsByState = MultiGauge.builder("seismo.ingest.jobs")
      .description("jobs of this instance by kind and state").register(registry);
  private final MultiGauge jobFailures = MultiGauge.builder("seismo.ingest.job.consecutive.failures")
      .description("consecutive failures of each job of this instance (0: up)").register(registry);
  private KafkaClientMetrics producerMetrics;
  private volatile Supplier<List<JobState>> jobs = List::of;

  public IngestMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Counter polls(String outcome) {
    return Counter.builder("seismo.ingest.polls").tag("outcome", outcome).description("polls done")
        .register(registry);
  }

  /** Binds the producer's counters and buffer, the jobs and the readiness of an instance. */
  public void bind(RawEventProducer producer, Supplier<List<JobState>> jobs, BooleanSupplier ready) {
    FunctionCounter.builder("seismo.ingest.raw.events.sent", producer, RawEventProducer::sent)
        .description("raw records acknowledged by Kafka").register(registry);
    FunctionCounter.builder("seismo.ingest.raw.events.failed", producer, RawEventProducer::failed)
        .description("raw records not delivered (producer errors, or left buffered at shutdown)").register(registry);
    FunctionCounter.builder("seismo.ingest.raw.events.dropped", producer, RawEventProducer::dropped)
        .description("raw records dropped, oldest first, from a full outage buffer").register(registry);
    Gauge.builder("seismo.ingest.outage.buffer", producer, RawEventProducer::pendingBytes).baseUnit("bytes")
        .description("raw records waiting for Kafka").register(registry);
    Gauge.builder("seismo.ingest.outage.buffer.records", producer, RawEventProducer::pendingCount)
        .description("raw records waiting for Kafka").register(registry);
    Gauge.builder("seismo.ingest.outage.buffer.limit", producer, RawEventProducer::maxPendingBytes).baseUnit("bytes")
        .description("SEISMO_INGEST_OUTAGE_BUFFER").register(registry);
    Gauge.builder("seismo.ingest.ready", ready, r -> r.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 when /health/ready answers 200").register(registry);
    producerMetrics = new KafkaClientMetrics(producer.client(), Tags.empty());
    producerMetrics.bindTo(registry);
    bindJobs(jobs);
  }

  /** The jobs whose states the job gauges show. */
  public void bindJobs(Supplier<List<JobState>> jobs) {
    this.jobs = jobs;
  }

  @Override
  public void polled(PollResult result) {
    if (result.getNotModified()) {
      pollsNotModified.increment();
    } else if (result.getError() != null) {
      pollsFailed.increment();
    } else {
      pollsOk.increment();
    }
  }

  @Override
  public void started(Duration lag) {
    scheduleLag.record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /** The Prometheus text exposition, job gauges as of now. */
  public synchronized String scrape() {
    List<JobState> states = jobs.get();
    Map<List<String>, Integer> counts = new LinkedHashMap<>();
    KINDS.forEach(kind -> STATES.forEach(state -> counts.put(List.of(kind, state), 0)));
    List<JobState> failing = new ArrayList<>();
    for (JobState job : states) {
      counts.merge(List.of(job.kind(), job.state()), 1, Integer::sum);
      if (job.consecutiveFailures() > 0) {
        failing.add(job);
      }
    }
    // bounded: a series per failing job, the most failing first (100,000 jobs that are up add no line)
    failing.sort(Comparator.comparingInt(JobState::consecutiveFailures).reversed()
        .thenComparing(JobState::apiId));
    List<MultiGauge.Row<?>> failures = new ArrayList<>();
    for (JobState job : failing.subList(0, Math.min(failing.size(), MAX_JOB_SERIES))) {
      failures.add(MultiGauge.Row.of(Tags.of("apiId", job.apiId(), "kind", job.kind()), job.consecutiveFailures()));
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((key, count) -> rows.add(MultiGauge.Row.of(Tags.of("kind", key.get(0), "state", key.get(1)), count)));
    jobsByState.register(rows, true);
    jobFailures.register(failures, true);
    return registry.scrape();
  }

  @Override
  public void close() {
    if (producerMetrics != null) {
      producerMetrics.close();
    }
    registry.close();
  }
}
