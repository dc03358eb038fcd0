package io.seismo.api.observe;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Prometheus registry of a control API instance: HTTP server timings, JVM, Kafka Streams and
 * client metrics, and the per-API meters of {@link ApiGauges}. Scraped at {@code GET /metrics}.
 */
public final class Observability implements AutoCloseable {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** How often meters that Kafka Streams adds later (its tasks, its clients' topics) are bound: after a rebalance. */
  public static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);
  /** The tag Kafka Streams puts on its meters of one task ({@code task-id}, as Micrometer spells tag keys). */
  static final String TASK_TAG = "task.id";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("seismo-api-metrics").daemon().factory());
  private KafkaStreamsMetrics streamsMetrics;
  /** One timer per method, route template and status (bounded: routes are templates). */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public Observability() {
    this(false);
  }

  /**
   * @param streamsTaskMeters whether Kafka Streams' meters per task (its processor nodes, topics and state stores:
   *                          some 75 per store and task, thousands of lines) are exposed too; those per client and
   *                          stream thread always are
   */
  public Observability(boolean streamsTaskMeters) {
    if (!streamsTaskMeters) {
      registry.config().meterFilter(MeterFilter.deny(id -> id.getName().startsWith("kafka.stream.")
          && id.getTag(TASK_TAG) != null));
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Binds the topology instance: Kafka Streams / client metrics and per-API meters refreshed every 10 s. */
  public void bind(KafkaStreams streams, int maxApis) {
    streamsMetrics = new KafkaStreamsMetrics(streams, Tags.empty(), refresher, KAFKA_METRICS_REFRESH);
    streamsMetrics.bindTo(registry);
    ApiGauges gauges = new ApiGauges(registry, streams, maxApis, Clock.systemUTC());
    refresher.scheduleWithFixedDelay(gauges::refresh, 2, 10, TimeUnit.SECONDS);
  }

  /** Request logger hook: one timer per method, route template and status. */
  public void recordRequest(Context ctx, Float millis) {
    String route;
    try {
      Endpoint endpoint = ctx.endpoint();
      // refused by the access check that runs before every matched route: tagged with the route it matched
      route = (endpoint.method == HandlerType.BEFORE_MATCHED ? ctx.endpoints().matchedHttpEndpoint() : endpoint).path;
    } catch (RuntimeException unmatched) {
      route = "unmatched";
    }
    String method = ctx.method().name();
    int status = ctx.statusCode();
    timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Timer.builder("http.server.requests")
            .tag("method", method).tag("uri", key.substring(method.length() + 1, key.lastIndexOf(' ')))
            .tag("status", Integer.toString(status)).register(registry))
        .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
  }

  /** Registers a gauge of {@code source}, read at each scrape (held strongly). */
  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).strongReference(true)
        .register(registry);
  }

  /** Registers a counter of {@code source}, read at each scrape (the source must be held elsewhere). */
  public <T> void counter(String name, String description, T source, ToDoubleFunction<T> count) {
    FunctionCounter.builder(name, source, count).description(description).register(registry);
  }

  /** Registers a counter of {@code source} with one tag, read at each scrape (the source must be held elsewhere). */
  public <T> void counter(String name, String description, String tag, String tagValue, T source,
                          ToDoubleFunction<T> count) {
    FunctionCounter.builder(name, source, count).description(description)
        .tag(tag, tagValue).register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    registry.close();
  }
}
