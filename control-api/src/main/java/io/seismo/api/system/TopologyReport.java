package io.seismo.api.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.StoreQueryService;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The topology part of {@code GET /system}: every Kafka Streams instance's state, threads, tasks and commit
 * latency (each instance answering for itself with {@code ?scope=local}), and the application group's lag
 * per input topic and partition, from Admin.
 */
final class TopologyReport {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Set<String> INPUT_TOPICS = Set.of(Topics.RAW_POLLS.name(), Topics.RAW_SSE.name(),
      Topics.REGISTRATIONS.name());

  private final KafkaStreams streams;
  private final HostInfo self;
  private final StoreQueryService queries;
  private final Admin admin;
  private final String applicationId;
  private final ObjectMapper json;

  TopologyReport(KafkaStreams streams, HostInfo self, StoreQueryService queries, Admin admin, String applicationId,
                 ObjectMapper json) {
    this.streams = streams;
    this.self = self;
    this.queries = queries;
    this.admin = admin;
    this.applicationId = applicationId;
    this.json = json;
  }

  /** Every instance of the topology and the group's lag; peers are asked with {@code authorization}. */
  Map<String, Object> report(String authorization) {
    Map<String, Object> topology = new LinkedHashMap<>();
    topology.put("applicationId", applicationId);
    List<Object> instances = new ArrayList<>();
    Set<HostInfo> seen = new HashSet<>();
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
      } catch (ProblemException | IOException e) {
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
  Map<String, Object> localInstance() {
    Map<String, Object> instance = new LinkedHashMap<>();
    instance.put("host", self.host());
    instance.put("port", self.port());
    instance.put("self", true);
    instance.put("state", streams.state().name());
    Map<String, Map<String, Double>> threadMetrics = threadMetrics();
    List<Object> threads = new ArrayList<>();
    Set<TopicPartition> assigned = new TreeSet<>(Comparator.comparing(TopicPartition::toString));
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("name", thread.threadName());
      shown.put("state", thread.threadState());
      shown.put("activeTasks", thread.activeTasks().stream().map(TopologyReport::task).toList());
      shown.put("standbyTasks", thread.standbyTasks().stream().map(TopologyReport::task).toList());
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
          .collect(Collectors.toMap(p -> p.topic() + "-" + String.format("%05d", p.partition()), p -> p))).values()) {
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
      lag.put("error", SystemHandlers.reason(e));
    }
    return lag;
  }
}
