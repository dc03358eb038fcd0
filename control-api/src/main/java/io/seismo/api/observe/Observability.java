package io.seismo.api.observe;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Prometheus registry of a control API instance: HTTP server timings, JVM, Kafka Streams and
 * client metrics, and the per-API meters of {@link ApiGauges}. Scraped at {@code GET /metrics}.
 */
public final class Observability implements AutoCloseable {

  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("seismo-api-metrics").daemon().factory());
  private KafkaStreamsMetrics streamsMetrics;
  /** One timer per method, route template and status (bounded: routes are templates). */
  private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  public Observability() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Binds the topology instance: Kafka Streams / client metrics and per-API meters refreshed every 10 s. */
  public void bind(KafkaStreams streams, int maxApis) {
    streamsMetrics = new KafkaStreamsMetrics(streams);
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
  public <T> void gauge(String name, String description, T source, java.util.function.ToDoubleFunction<T> value) {
    io.micrometer.core.instrument.Gauge.builder(name, source, value).description(description).strongReference(true)
        .register(registry);
  }

  /** Registers a counter of {@code source}, read at each scrape (the source must be held elsewhere). */
  public <T> void counter(String name, String description, T source, java.util.function.ToDoubleFunction<T> count) {
    io.micrometer.core.instrument.FunctionCounter.builder(name, source, count).description(description).register(registry);
  }

  /** Registers a counter of {@code source} with one tag, read at each scrape (the source must be held elsewhere). */
  public <T> void counter(String name, String description, String tag, String tagValue, T source,
                          java.util.function.ToDoubleFunction<T> count) {
    io.micrometer.core.instrument.FunctionCounter.builder(name, source, count).description(description)
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
