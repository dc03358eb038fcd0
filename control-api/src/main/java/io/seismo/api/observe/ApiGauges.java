package io.seismo.api.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.topology.analysis.LatencySketch;
import io.seismo.topology.analysis.TimeWindow;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-API Prometheus meters ({@code seismo_api_*{api_id}}) for the APIs whose state this instance owns,
 * refreshed from the local state stores, for at most {@code maxApis} APIs.
 */
public final class ApiGauges {

  private static final Logger log = LoggerFactory.getLogger(ApiGauges.class);
  private static final double[] QUANTILES = {0.5, 0.95, 0.99};

  private final MeterRegistry registry;
  private final KafkaStreams streams;
  private final int maxApis;
  private final Clock clock;
  private volatile Map<String, ApiStatus> statuses = Map.of();
  private volatile Map<String, ByteBuffer> latencies = Map.of();
  private final Map<String, List<Meter>> meters = new HashMap<>();
  private boolean capWarned;

  public ApiGauges(MeterRegistry registry, KafkaStreams streams, int maxApis, Clock clock) {
    this.registry = registry;
    this.streams = streams;
    this.maxApis = maxApis;
    this.clock = clock;
  }

  /** Reads the local stores and adds / removes meters. Safe to call from a scheduler thread. */
  public synchronized void refresh() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return;
    }
    Map<String, ApiStatus> snapshot = new TreeMap<>();
    Map<String, ByteBuffer> sketches = new HashMap<>();
    try {
      ReadOnlyKeyValueStore<String, ApiStatus> store = streams.store(StoreQueryParameters
          .fromNameAndType(StoreNames.STATUS, QueryableStoreTypes.<String, ApiStatus>keyValueStore()));
      ReadOnlyWindowStore<String, ApiMetrics> hours = streams.store(StoreQueryParameters
          .fromNameAndType(StoreNames.metrics(TimeWindow.ONE_HOUR), QueryableStoreTypes.<String, ApiMetrics>windowStore()));
      long hour = TimeWindow.ONE_HOUR.startOf(clock.millis());
      try (KeyValueIterator<String, ApiStatus> all = store.all()) {
        while (all.hasNext() && snapshot.size() < maxApis) {
          KeyValue<String, ApiStatus> entry = all.next();
          snapshot.put(entry.key, entry.value);
          ApiMetrics current = hours.fetch(entry.key, hour);
          if (current != null) {
            sketches.put(entry.key, current.getLatencySketch());
          }
        }
        if (all.hasNext() && !capWarned) {
          capWarned = true;
          log.warn("per-API metrics limited to {} APIs on this instance (SEISMO_API_METRICS_MAX_APIS)", maxApis);
        }
      }
    } catch (InvalidStateStoreException e) {
      return; // rebalancing: keep the previous snapshot
    }
    statuses = snapshot;
    latencies = sketches;
    for (String apiId : snapshot.keySet()) {
      meters.computeIfAbsent(apiId, this::register);
    }
    for (String gone : new ArrayList<>(meters.keySet())) {
      if (!snapshot.containsKey(gone)) {
        meters.remove(gone).forEach(registry::remove);
      }
    }
  }

  private List<Meter> register(String apiId) {
    Tags tags = Tags.of("api_id", apiId);
    List<Meter> list = new ArrayList<>();
    list.add(counter("seismo.api.samples", apiId, s -> s.getSamples(), "samples taken"));
    list.add(counter("seismo.api.changes", apiId, s -> s.getChanges(), "changes of the document"));
    list.add(counter("seismo.api.errors", apiId, s -> s.getErrors(), "failed samples"));
    list.add(counter("seismo.api.not.modified", apiId, s -> s.getNotModified(), "304 answers"));
    list.add(counter("seismo.api.bytes.polled", apiId, s -> s.getTotalBytesPolled(), "bytes plain polling costs"));
    list.add(counter("seismo.api.bytes.conditional", apiId, s -> s.getTotalBytesConditional(),
        "bytes polling with conditional requests costs"));
    list.add(counter("seismo.api.bytes.streamed", apiId, s -> s.getTotalBytesStreamed(),
        "bytes streaming (SSE + JSON Patch) would cost"));
    list.add(Gauge.builder("seismo.api.payload.bytes", this, self -> value(apiId, s -> s.getLastPayloadBytes()))
        .tags(tags).description("size of the last payload").baseUnit("bytes").register(registry));
    for (ApiState state : ApiState.values()) {
      list.add(Gauge.builder("seismo.api.state", this,
              self -> value(apiId, s -> s.getState() == state ? 1 : 0))
          .tags(tags.and("state", state.name())).description("1 for the current state").register(registry));
    }
    for (double quantile : QUANTILES) {
      list.add(Gauge.builder("seismo.api.latency.ms", this, self -> latency(apiId, quantile))
          .tags(tags.and("quantile", Double.toString(quantile))).description("latency over the current hour")
          .register(registry));
    }
    return list;
  }

  private FunctionCounter counter(String name, String apiId, ToDoubleFunction<ApiStatus> read, String description) {
    return FunctionCounter.builder(name, this, self -> value(apiId, read))
        .tags(Tags.of("api_id", apiId)).description(description).register(registry);
  }

  private double value(String apiId, ToDoubleFunction<ApiStatus> read) {
    ApiStatus status = statuses.get(apiId);
    return status == null ? Double.NaN : read.applyAsDouble(status);
  }

  private double latency(String apiId, double quantile) {
    ByteBuffer sketch = latencies.get(apiId);
    Double value = sketch == null ? null : LatencySketch.quantile(sketch, quantile);
    return value == null ? Double.NaN : value;
  }
}
