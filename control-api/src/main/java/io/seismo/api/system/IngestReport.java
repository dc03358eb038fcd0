package io.seismo.api.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The ingest part of {@code GET /system}: its consumer group's members and the registrations of their
 * partitions, and each configured ingest instance's own {@code /health/ready} and {@code /metrics} (jobs by
 * state, schedule lag, outage buffer, raw events).
 */
final class IngestReport {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(3);
  private static final int MAX_APIS_SHOWN = 200;

  private final Admin admin;
  private final String ingestGroupId;
  private final List<URI> ingestUrls;
  private final RegistrationTable table;
  private final ObjectMapper json;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();

  IngestReport(Admin admin, String ingestGroupId, List<URI> ingestUrls, RegistrationTable table, ObjectMapper json) {
    this.admin = admin;
    this.ingestGroupId = ingestGroupId;
    this.ingestUrls = List.copyOf(ingestUrls);
    this.table = table;
    this.json = json;
  }

  /** The group, its members and what they run, and each ingest instance's own report. */
  Map<String, Object> report() {
    Map<String, Object> ingest = new LinkedHashMap<>();
    ingest.put("groupId", ingestGroupId);
    Map<Integer, List<String>> apisByPartition = new HashMap<>();
    Map<Integer, Integer> dueByPartition = new HashMap<>();
    List<Object> members = new ArrayList<>();
    try {
      int partitionCount = admin.describeTopics(List.of(Topics.REGISTRATIONS.name())).allTopicNames()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(Topics.REGISTRATIONS.name()).partitions().size();
      if (table.loaded()) {
        for (Registration registration : table.page(null, table.size() + 1, null)) { // page() sizes its list by the limit
          int partition = Utils.toPositive(Utils.murmur2(registration.getApiId().getBytes(StandardCharsets.UTF_8))) % partitionCount;
          apisByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(registration.getApiId());
          if (registration.getDesiredState() == DesiredState.RUNNING) {
            dueByPartition.merge(partition, 1, Integer::sum);
          }
        }
      }
      ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(ingestGroupId)).describedGroups()
          .get(ingestGroupId).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ingest.put("state", group.groupState().toString());
      for (MemberDescription member : group.members()) {
        List<Integer> owned = member.assignment().topicPartitions().stream()
            .filter(p -> p.topic().equals(Topics.REGISTRATIONS.name())).map(TopicPartition::partition).sorted().toList();
        List<String> apis = owned.stream().flatMap(p -> apisByPartition.getOrDefault(p, List.of()).stream()).sorted().toList();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("memberId", member.consumerId());
        shown.put("clientId", member.clientId());
        shown.put("host", member.host());
        shown.put("partitions", owned);
        shown.put("apis", apis.size());
        shown.put("due", owned.stream().mapToInt(p -> dueByPartition.getOrDefault(p, 0)).sum());
        shown.put("apiIds", apis.stream().limit(MAX_APIS_SHOWN).toList());
        members.add(shown);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ingest.put("error", "interrupted");
    } catch (Exception e) {
      ingest.put("error", SystemHandlers.reason(e));
    }
    ingest.put("members", members);
    ingest.put("instances", ingestUrls.stream().map(this::scrape).toList());
    return ingest;
  }

  /** One ingest instance's own report: /health/ready and the figures of /metrics that matter here. */
  private Map<String, Object> scrape(URI base) {
    Map<String, Object> instance = new LinkedHashMap<>();
    instance.put("url", base.toString());
    try {
      HttpResponse<String> ready = get(base.resolve("/health/ready"));
      instance.put("ready", ready.statusCode() == 200);
      try {
        instance.put("readiness", json.readTree(ready.body()));
      } catch (IOException notJson) {
        instance.put("readiness", null);
      }
      HttpResponse<String> metrics = get(base.resolve("/metrics"));
      if (metrics.statusCode() != 200) {
        instance.put("error", "/metrics answered HTTP " + metrics.statusCode());
        return instance;
      }
      List<PrometheusText.Sample> samples = PrometheusText.parse(metrics.body());
      Map<String, Map<String, Long>> jobs = new TreeMap<>();
      Set<String> failing = new TreeSet<>();
      Map<String, Double> values = new HashMap<>();
      Map<String, Long> polls = new TreeMap<>();
      for (PrometheusText.Sample sample : samples) {
        switch (sample.name()) {
          case "seismo_ingest_jobs" -> jobs.computeIfAbsent(sample.labels().getOrDefault("kind", "?"), k -> new TreeMap<>())
              .put(sample.labels().getOrDefault("state", "?"), (long) sample.value());
          case "seismo_ingest_job_consecutive_failures" -> failing.add(sample.labels().getOrDefault("apiId", "?"));
          case "seismo_ingest_polls_total" -> polls.put(sample.labels().getOrDefault("outcome", "?"), (long) sample.value());
          default -> values.put(sample.name(), sample.value());
        }
      }
      instance.put("jobs", jobs);
      instance.put("running", jobs.values().stream().flatMap(states -> states.values().stream()).mapToLong(Long::longValue).sum());
      // which APIs an instance runs is told by the group's assignment (members[].apiIds); the instance's own
      // metrics name only its failing jobs (one bounded series each, so that 100,000 healthy jobs add no line)
      instance.put("failingApiIds", failing.stream().limit(MAX_APIS_SHOWN).toList());
      instance.put("polls", polls);
      Map<String, Object> scheduleLag = new LinkedHashMap<>();
      double count = values.getOrDefault("seismo_ingest_schedule_lag_seconds_count", 0.0);
      double sum = values.getOrDefault("seismo_ingest_schedule_lag_seconds_sum", 0.0);
      scheduleLag.put("count", (long) count);
      scheduleLag.put("meanMs", count == 0 ? null : sum / count * 1000);
      scheduleLag.put("maxMs", values.containsKey("seismo_ingest_schedule_lag_seconds_max")
          ? values.get("seismo_ingest_schedule_lag_seconds_max") * 1000 : null);
      instance.put("scheduleLag", scheduleLag);
      Map<String, Object> buffer = new LinkedHashMap<>();
      buffer.put("bytes", longOrNull(values.get("seismo_ingest_outage_buffer_bytes")));
      buffer.put("records", longOrNull(values.get("seismo_ingest_outage_buffer_records")));
      buffer.put("limitBytes", longOrNull(values.get("seismo_ingest_outage_buffer_limit_bytes")));
      instance.put("outageBuffer", buffer);
      Map<String, Object> raw = new LinkedHashMap<>();
      raw.put("sent", longOrNull(values.get("seismo_ingest_raw_events_sent_total")));
      raw.put("failed", longOrNull(values.get("seismo_ingest_raw_events_failed_total")));
      raw.put("dropped", longOrNull(values.get("seismo_ingest_raw_events_dropped_total")));
      instance.put("rawEvents", raw);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      instance.put("ready", false);
      instance.put("error", "interrupted");
    } catch (IOException | RuntimeException e) {
      instance.put("ready", false);
      instance.put("error", "unreachable: " + SystemHandlers.reason(e));
    }
    return instance;
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(SCRAPE_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static Long longOrNull(Double value) {
    return value == null || !Double.isFinite(value) ? null : value.longValue();
  }
}
