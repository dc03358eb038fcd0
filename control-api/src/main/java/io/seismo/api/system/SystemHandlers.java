package io.seismo.api.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.StoreQueryService;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.RegistrationTable;
import io.seismo.schemas.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /system}: the workers as the services themselves report them — brokers (Admin
 * describeCluster), the topology (every Kafka Streams instance's threads, tasks, state and commit latency,
 * each instance answering for itself with {@code ?scope=local}; the consumer lag of the application's group
 * per input topic and partition, from Admin), and ingest (its consumer group's members and the
 * registrations of their partitions, and each configured ingest instance's own {@code /health/ready} and
 * {@code /metrics}: jobs by state, schedule lag, outage buffer, raw events).
 */
public final class SystemHandlers {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(3);
  private static final int MAX_APIS_SHOWN = 200;
  private static final Set<String> INPUT_TOPICS = Set.of(Topics.RAW_POLLS.name(), Topics.RAW_SSE.name(),
      Topics.REGISTRATIONS.name());

  private final KafkaStreams streams;
  private final HostInfo self;
  private final StoreQueryService queries;
  private final Admin admin;
  private final String applicationId;
  private final String ingestGroupId;
  private final List<URI> ingestUrls;
  private final RegistrationTable table;
  private final Clock clock;
  private final ObjectMapper json;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();

  public SystemHandlers(KafkaStreams streams, HostInfo self, StoreQueryService queries, Admin admin,
                        String applicationId, String ingestGroupId, List<URI> ingestUrls, RegistrationTable table,
                        Clock clock, ObjectMapper json) {
    this.streams = streams;
    this.self = self;
    this.queries = queries;
    this.admin = admin;
    this.applicationId = applicationId;
    this.ingestGroupId = ingestGroupId;
    this.ingestUrls = List.copyOf(ingestUrls);
    this.table = table;
    this.clock = clock;
    this.json = json;
  }

  /** GET /system (?scope=local: this instance's topology only, what peers ask each other). */
  public void system(Context ctx) {
    String scope = ctx.queryParam("scope");
    if (scope != null && !scope.equals("local") && !scope.equals("all")) {
      throw ProblemException.badRequest("query parameter 'scope' must be all or local",
          List.of(new FieldError("scope", "unknown value '" + (scope.length() > 40 ? scope.substring(0, 40) : scope) + "'")));
    }
    if ("local".equals(scope)) {
      ctx.json(localInstance());
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", clock.instant());
    body.put("brokers", brokers());
    body.put("topology", topology(ctx.header("Authorization")));
    body.put("ingest", ingest());
    ctx.json(body);
  }

  // ------------------------------------------------------------------------------------ brokers

  private Map<String, Object> brokers() {
    Map<String, Object> brokers = new LinkedHashMap<>();
    try {
      DescribeClusterResult cluster = admin.describeCluster();
      Collection<Node> nodes = cluster.nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Node controller = cluster.controller().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      brokers.put("reachable", true);
      brokers.put("clusterId", cluster.clusterId().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      brokers.put("controller", controller == null || controller.isEmpty() ? null : controller.id());
      brokers.put("nodes", nodes.stream().map(node -> {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", node.id());
        shown.put("host", node.host());
        shown.put("port", node.port());
        shown.put("rack", node.rack());
        return shown;
      }).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      brokers.put("reachable", false);
      brokers.put("error", "interrupted");
    } catch (Exception e) {
      brokers.put("reachable", false);
      brokers.put("error", reason(e));
    }
    return brokers;
  }

  // ------------------------------------------------------------------------------------ topology

  private Map<String, Object> topology(String authorization) {
    Map<String, Object> topology = new LinkedHashMap<>();
    topology.put("applicationId", applicationId);
    List<Object> instances = new ArrayList<>();
    Set<HostInfo> seen = new java.util.HashSet<>();
    for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
      seen.add(client.hostInfo());
      if (client.hostInfo().equals(self)) {
        instances.add(localInstance());
        continue;
      }
      Map<String, Object> instance = new LinkedHashMap<>();
      instance.put("host", client.hostInfo().host());
      instance.put("port", client.hostInfo().port());
      instance.put("self", false);
      instance.put("partitions", partitions(client.topicPartitions()));
      try {
        StoreQueryService.Relayed answer = queries.forward(client.hostInfo(), "/system?scope=local", authorization, false);
        if (answer.status() == 200) {
          JsonNode reported = json.readTree(answer.body());
          instance.put("state", reported.path("state").asText(null));
          instance.put("threads", reported.path("threads"));
        } else {
          instance.put("error", "answered HTTP " + answer.status());
        }
      } catch (ProblemException | java.io.IOException e) {
        instance.put("error", e.getMessage());
      }
      instances.add(instance);
    }
    if (!seen.contains(self)) {
      instances.addFirst(localInstance());
    }
    topology.put("instances", instances);
    topology.put("lag", lag());
    return topology;
  }

  /** This instance: its state, and per stream thread its tasks and commit latency. */
  private Map<String, Object> localInstance() {
    Map<String, Object> instance = new LinkedHashMap<>();
    instance.put("host", self.host());
    instance.put("port", self.port());
    instance.put("self", true);
    instance.put("state", streams.state().name());
    Map<String, Map<String, Double>> threadMetrics = threadMetrics();
    List<Object> threads = new ArrayList<>();
    Set<TopicPartition> assigned = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("name", thread.threadName());
      shown.put("state", thread.threadState());
      shown.put("activeTasks", thread.activeTasks().stream().map(SystemHandlers::task).toList());
      shown.put("standbyTasks", thread.standbyTasks().stream().map(SystemHandlers::task).toList());
      Map<String, Double> metrics = threadMetrics.getOrDefault(thread.threadName(), Map.of());
      shown.put("commitLatencyAvgMs", metrics.get("commit-latency-avg"));
      shown.put("commitLatencyMaxMs", metrics.get("commit-latency-max"));
      shown.put("commitRate", metrics.get("commit-rate"));
      shown.put("processRate", metrics.get("process-rate"));
      thread.activeTasks().forEach(task -> assigned.addAll(task.topicPartitions()));
      threads.add(shown);
    }
    instance.put("partitions", partitions(assigned));
    instance.put("threads", threads);
    return instance;
  }

  private static Map<String, Object> task(TaskMetadata task) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("taskId", task.taskId().toString());
    shown.put("partitions", partitions(task.topicPartitions()));
    return shown;
  }

  private static List<String> partitions(Collection<TopicPartition> partitions) {
    return partitions.stream().filter(p -> INPUT_TOPICS.contains(p.topic()))
        .map(p -> p.topic() + "-" + p.partition()).sorted().toList();
  }

  /** thread id → metric name → value, for the stream-thread-metrics group. */
  private Map<String, Map<String, Double>> threadMetrics() {
    Map<String, Map<String, Double>> byThread = new HashMap<>();
    for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
      MetricName name = entry.getKey();
      if (!name.group().equals("stream-thread-metrics") || !name.tags().containsKey("thread-id")) {
        continue;
      }
      Object value = entry.getValue().metricValue();
      if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
        byThread.computeIfAbsent(name.tags().get("thread-id"), t -> new HashMap<>()).put(name.name(), number.doubleValue());
      }
    }
    return byThread;
  }

  /** The application group's committed offsets against the last stable offsets of its input topics. */
  private Map<String, Object> lag() {
    Map<String, Object> lag = new LinkedHashMap<>();
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
          .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : INPUT_TOPICS) {
        admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .get(topic).partitions().forEach(info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
      }
      var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<Object> rows = new ArrayList<>();
      long total = 0;
      for (TopicPartition partition : new TreeMap<String, TopicPartition>(latest.keySet().stream()
          .collect(java.util.stream.Collectors.toMap(p -> p.topic() + "-" + String.format("%05d", p.partition()), p -> p))).values()) {
        long end = ends.get(partition).offset();
        OffsetAndMetadata offset = committed.get(partition);
        Long position = offset == null ? null : offset.offset();
        long behind = position == null ? end : Math.max(0, end - position);
        total += behind;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("topic", partition.topic());
        row.put("partition", partition.partition());
        row.put("committed", position);
        row.put("end", end);
        row.put("lag", behind);
        rows.add(row);
      }
      lag.put("total", total);
      lag.put("partitions", rows);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lag.put("error", "interrupted");
    } catch (Exception e) {
      lag.put("error", reason(e));
    }
    return lag;
  }

  // ------------------------------------------------------------------------------------ ingest

  private Map<String, Object> ingest() {
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
      ingest.put("error", reason(e));
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
      } catch (java.io.IOException notJson) {
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
    } catch (java.io.IOException | RuntimeException e) {
      instance.put("ready", false);
      instance.put("error", "unreachable: " + reason(e));
    }
    return instance;
  }

  private HttpResponse<String> get(URI uri) throws java.io.IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(SCRAPE_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static Long longOrNull(Double value) {
    return value == null || !Double.isFinite(value) ? null : value.longValue();
  }

  private static String reason(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
