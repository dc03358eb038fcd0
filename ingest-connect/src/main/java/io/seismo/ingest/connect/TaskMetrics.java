package io.seismo.ingest.connect;

import io.seismo.ingest.observe.JobState;
import io.seismo.ingest.observe.PollObserver;
import io.seismo.schemas.PollResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * A task's metrics in Connect's own metrics (KIP-877 plugin metrics): what the standalone ingest's
 * {@code /metrics} shows, for this task; listed in docs/kafka-connect.md ("Metrics").
 */
final class TaskMetrics implements PollObserver {

  private static final List<String> OUTCOMES = List.of("ok", "not_modified", "error");
  private static final List<String> KINDS = List.of("poll", "sse");
  private static final List<String> STATES = List.of(JobState.PENDING, JobState.UP, JobState.FAILING);

  private final PluginMetrics metrics;
  private final List<MetricName> names = new ArrayList<>();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong notModified = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Sensor lag;

  TaskMetrics(PluginMetrics metrics, RecordQueue queue, Supplier<List<JobState>> jobs) {
    this.metrics = metrics;
    for (String outcome : OUTCOMES) {
      AtomicLong counter = switch (outcome) {
        case "ok" -> ok;
        case "not_modified" -> notModified;
        default -> failed;
      };
      gauge(name("polls-total", "polls done", "outcome", outcome), counter::get);
    }
    for (String kind : KINDS) {
      for (String state : STATES) {
        gauge(name("jobs", "jobs of this task by kind and state", "kind", kind, "state", state),
            () -> jobs.get().stream().filter(j -> j.kind().equals(kind) && j.state().equals(state)).count());
      }
    }
    gauge(name("buffered-records", "records waiting for the worker's next poll"), () -> (long) queue.size());
    gauge(name("buffered-bytes", "bytes of the records waiting for the worker's next poll"), queue::bytes);
    gauge(name("records-total", "raw records handed to the worker"), queue::queued);
    gauge(name("records-dropped-total", "raw records dropped, oldest first, from a full task buffer"), queue::dropped);
    this.lag = metrics.addSensor("seismo-schedule-lag");
    lag.add(name("schedule-lag-avg-ms", "how late polls started after the time they were scheduled for"), new Avg());
    lag.add(name("schedule-lag-max-ms", "the latest a poll started after the time it was scheduled for"), new Max());
  }

  private MetricName name(String name, String description, String... tags) {
    LinkedHashMap<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < tags.length; i += 2) {
      map.put(tags[i], tags[i + 1]);
    }
    return metrics.metricName(name, description, map);
  }

  private void gauge(MetricName name, Supplier<Long> value) {
    metrics.addMetric(name, (Gauge<Long>) (config, now) -> value.get());
    names.add(name);
  }

  @Override
  public void polled(PollResult result) {
    if (result.getNotModified()) {
      notModified.incrementAndGet();
    } else if (result.getError() != null) {
      failed.incrementAndGet();
    } else {
      ok.incrementAndGet();
    }
  }

  @Override
  public void started(Duration lateBy) {
    lag.record(lateBy.isNegative() ? 0 : lateBy.toNanos() / 1e6);
  }

  void close() {
    names.forEach(metrics::removeMetric);
    metrics.removeSensor("seismo-schedule-lag");
  }
}
