package io.seismo.ingest.connect;

import static io.seismo.ingest.connect.ConnectTestCluster.polls;
import static io.seismo.ingest.connect.ConnectTestCluster.readCommitted;
import static io.seismo.ingest.connect.ConnectTestCluster.register;
import static io.seismo.ingest.connect.ConnectTestCluster.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The connector on a real Connect cluster in this JVM (Kafka's {@link EmbeddedConnectCluster}: two workers in
 * exactly-once source mode, one KRaft broker), polling and streaming a real HTTP upstream that records what it
 * was asked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeismoSourceConnectorIT {

  private static EmbeddedConnectCluster connect;
  private static Upstream upstream;

  @BeforeAll
  static void start() throws Exception {
    upstream = new Upstream();
    connect = ConnectTestCluster.start("seismo-connector-it");
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.stop();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  @Order(1)
  void shouldRejectBadConfigsWithMessagesWhenValidated() {
    Map<String, String> config = ConnectTestCluster.connectorConfig(connect, 2);
    config.remove(SeismoConnectorConfig.BOOTSTRAP_SERVERS);
    config.put("seismo.ingest.connect.timeout", "5");
    config.put("seismo.ingest.max.body.bytes", "lots");
    config.put("seismo.ingest.allow.hosts", "10.0.0.0/99");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("seismo.secret.AWS_SECRET_ACCESS_KEY", "never-shown");

    ConfigInfos result = connect.validateConnectorConfig(SeismoSourceConnector.class.getSimpleName(), config);

    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigInfo info : result.configs()) {
      if (!info.configValue().errors().isEmpty()) {
        errors.computeIfAbsent(info.configValue().name(), k -> new ArrayList<>()).addAll(info.configValue().errors());
      }
    }
    assertThat(result.errorCount()).isGreaterThanOrEqualTo(6);
    assertThat(errors.get(SeismoConnectorConfig.BOOTSTRAP_SERVERS)).anyMatch(m -> m.contains("Missing required configuration"));
    assertThat(errors.get("seismo.ingest.connect.timeout"))
        .anyMatch(m -> m.contains("seismo.ingest.connect.timeout must be a duration with a unit like 500ms"));
    assertThat(errors.get("seismo.ingest.max.body.bytes")).anyMatch(m -> m.contains("must be a size like 65536"));
    assertThat(errors.get("seismo.ingest.allow.hosts")).anyMatch(m -> m.contains("neither a host name nor a CIDR"));
    assertThat(errors.get("value.converter")).anyMatch(m -> m.contains("must be " + SeismoConnectorConfig.BYTES_CONVERTER));
    assertThat(errors.get("seismo.secret.AWS_SECRET_ACCESS_KEY")).anyMatch(m -> m.contains("does not allow"));
    assertThat(result.toString()).doesNotContain("never-shown");

    Map<String, String> goodConfig = ConnectTestCluster.connectorConfig(connect, 2);
    goodConfig.put("name", "seismo-validated"); // Connect's own required key
    ConfigInfos good = connect.validateConnectorConfig(SeismoSourceConnector.class.getSimpleName(), goodConfig);
    assertThat(good.errorCount()).as(good.toString()).isZero();

    Map<String, String> connectorBoundaries = ConnectTestCluster.connectorConfig(connect, 2);
    connectorBoundaries.put("transaction.boundary", "connector");
    ConfigInfos refused = connect.validateConnectorConfig(SeismoSourceConnector.class.getSimpleName(), connectorBoundaries);
    assertThat(refused.errorCount()).isPositive();
  }

  @Test
  @Order(2)
  void shouldResolveHeaderSecretsFromAConfigProviderAndGuardAddressesWhenPolling() throws Exception {
    Path secrets = Files.createTempFile("seismo-secrets", ".properties");
    Files.writeString(secrets, "token=s3cr3t-from-file\n");
    String apiId = "secret-" + UUID.randomUUID().toString().substring(0, 8);
    String blocked = "blocked-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> config = ConnectTestCluster.connectorConfig(connect, 1);
    config.put("seismo.secret.SEISMO_SECRET_TOKEN", "${file:" + secrets + ":token}");
    Map<String, Registration> registrations = new LinkedHashMap<>();
    registrations.put(apiId, registration(apiId, upstream.url("/doc/" + apiId))
        .setHeaders(Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_TOKEN}")).build());
    registrations.put(blocked, registration(blocked, "http://169.254.169.254/latest/meta-data/").build());
    register(connect, registrations);
    try {
      connect.configureConnector("seismo-secrets", config);
      await().atMost(Duration.ofSeconds(90)).until(() -> upstream.requests("/doc/" + apiId).size() >= 2
          && !polls(readCommitted(connect, Topics.RAW_POLLS.name()), blocked).isEmpty());

      assertThat(upstream.requests("/doc/" + apiId)).allMatch(r -> "Bearer s3cr3t-from-file".equals(r.authorization()));
      List<ConsumerRecord<String, byte[]>> raw = readCommitted(connect, Topics.RAW_POLLS.name());
      assertThat(raw).noneMatch(r -> new String(r.value(), StandardCharsets.ISO_8859_1).contains("s3cr3t"));
      PollResult refused = polls(raw, blocked).getFirst();
      assertThat(refused.getError().getCategory()).isEqualTo(ErrorCategory.BLOCKED);
      assertThat(refused.getError().getMessage()).contains("169.254.169.254");
      // the value stays in the file: Connect's REST API and config topic hold the reference
      assertThat(connect.connectorInfo("seismo-secrets").config().get("seismo.secret.SEISMO_SECRET_TOKEN"))
          .startsWith("${file:");
      assertThat(connect.taskConfigs("seismo-secrets").toString()).doesNotContain("s3cr3t");

      // the task's metrics are in Connect's own (JMX)
      Set<ObjectName> names = ManagementFactory.getPlatformMBeanServer()
          .queryNames(new ObjectName("kafka.connect:type=plugins,connector=seismo-secrets,*"), null);
      assertThat(names).as("plugin metric beans").isNotEmpty();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        double ok = 0;
        double errors = 0;
        for (ObjectName name : names) {
          for (var attribute : ManagementFactory.getPlatformMBeanServer().getMBeanInfo(name).getAttributes()) {
            if (attribute.getName().equals("polls-total")) {
              double value = ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "polls-total")).doubleValue();
              if ("ok".equals(name.getKeyProperty("outcome"))) {
                ok += value;
              } else if ("error".equals(name.getKeyProperty("outcome"))) {
                errors += value;
              }
            }
          }
        }
        assertThat(ok).isGreaterThanOrEqualTo(1);
        assertThat(errors).isGreaterThanOrEqualTo(1);
      });
    } finally {
      ConnectTestCluster.deleteAndAwaitStopped(connect, "seismo-secrets");
      Map<String, Registration> tombstones = new HashMap<>();
      registrations.keySet().forEach(id -> tombstones.put(id, null));
      register(connect, tombstones);
      Files.deleteIfExists(secrets);
    }
  }

  @Test
  @Order(3)
  void shouldWriteTheStandaloneRecordsAndResumeOnAnotherWorkerWhenAWorkerStops() throws Exception {
    List<String> pollApis = ConnectTestCluster.apiIdsOnEveryPartition("move-", 1);
    // on partition 0, which task 0 reads (the partitions [0, 1, 2] go round robin to the two tasks: [0, 2] and [1]):
    // task 0's worker is the one stopped, so the stream has to move (on task 1 it would stay where it was)
    String candidate;
    do {
      candidate = "stream-" + UUID.randomUUID().toString().substring(0, 8);
    } while (ConnectTestCluster.partitionOf(candidate) != 0);
    String sseApi = candidate;
    Map<String, Registration> registrations = new LinkedHashMap<>();
    pollApis.forEach(id -> registrations.put(id, registration(id, upstream.url("/doc/" + id)).build()));
    registrations.put(sseApi, registration(sseApi, upstream.url("/sse/" + sseApi)).setMode(ApiMode.SSE).build());
    register(connect, registrations);
    String name = "seismo-move";
    try {
      connect.configureConnector(name, ConnectTestCluster.connectorConfig(connect, 2));
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 2, "two tasks");
      await().atMost(Duration.ofSeconds(60)).until(() -> pollApis.stream()
          .allMatch(id -> upstream.requests("/doc/" + id).size() >= 3) && sseEvents(sseApi).size() >= 5);

      // the same records as the standalone ingest's producer: key, partition, timestamp, no headers, same bytes
      List<ConsumerRecord<String, byte[]>> raw = readCommitted(connect, Topics.RAW_POLLS.name());
      for (String apiId : pollApis) {
        List<ConsumerRecord<String, byte[]>> mine = raw.stream().filter(r -> apiId.equals(r.key())).toList();
        assertThat(mine).isNotEmpty();
        for (ConsumerRecord<String, byte[]> record : mine) {
          PollResult poll = Topics.RAW_POLLS.valueSerde().deserializer().deserialize(record.topic(), record.value());
          assertThat(record.partition()).isEqualTo(ConnectTestCluster.partitionOf(apiId));
          assertThat(record.timestamp()).isEqualTo(poll.getRequestedAt().toEpochMilli());
          assertThat(record.headers().toArray()).isEmpty();
          assertThat(record.value()).isEqualTo(Topics.RAW_POLLS.valueSerde().serializer().serialize(record.topic(), poll));
        }
        PollResult first = polls(mine, apiId).getFirst();
        assertThat(first.getHttpStatus()).isEqualTo(200);
        assertThat(StandardCharsets.UTF_8.decode(first.getBody()).toString()).isEqualTo(Upstream.body(apiId, 1));
        assertThat(first.getEtag()).isEqualTo("\"1\"");
        // conditional requests with the stored ETag (not necessarily the second poll: the tasks may be
        // reconfigured once while the connector reads the registrations, and a new task starts from the last
        // committed source offset)
        assertThat(polls(mine, apiId).stream().skip(1).anyMatch(PollResult::getNotModified)).isTrue();
      }

      // stop the worker running task 0; its tasks move to the other one
      ConnectorStateInfo status = connect.connectorStatus(name);
      String workerOfTask0 = status.tasks().stream().filter(t -> t.id() == 0).findFirst().orElseThrow().workerId();
      WorkerHandle stopped = connect.workers().stream()
          .filter(w -> workerOfTask0.endsWith(":" + w.url().getPort())).findFirst().orElseThrow();
      Map<String, Integer> before = new HashMap<>();
      pollApis.forEach(id -> before.put(id, upstream.requests("/doc/" + id).size()));
      int connectionsBefore = upstream.requests("/sse/" + sseApi).size();
      connect.removeWorker(stopped);
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 2, "two tasks on the remaining worker");
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> pollApis.stream()
            .allMatch(id -> upstream.requests("/doc/" + id).size() >= before.get(id) + 3)
            && upstream.requests("/sse/" + sseApi).size() > connectionsBefore);
      } catch (ConditionTimeoutException e) {
        // what did not resume, for the report
        pollApis.forEach(id -> System.out.println(id + " requests before the move " + before.get(id) + ", now "
            + upstream.requests("/doc/" + id).size()));
        System.out.println(sseApi + " connections before the move " + connectionsBefore + ", now "
            + upstream.requests("/sse/" + sseApi).size());
        throw e;
      }
      // the status topic says so too, once the remaining worker has written its tasks' states (a little later)
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(connect.connectorStatus(name).tasks())
          .extracting(ConnectorStateInfo.TaskState::workerId).hasSize(2).noneMatch(workerOfTask0::equals));

      for (String apiId : pollApis) {
        List<Upstream.Request> requests = upstream.requests("/doc/" + apiId);
        // conditional requests continued with the stored ETag on the other worker: every request after the move
        // carries it (before the first committed poll a task that is reconfigured polls again unconditionally:
        // what it polled was not committed, so it is polled again)
        assertThat(requests.getFirst().ifNoneMatch()).isNull();
        assertThat(requests.subList(before.get(apiId), requests.size()))
            .allMatch(r -> "\"1\"".equals(r.ifNoneMatch()), "If-None-Match \"1\"");
        // exactly once across the move: the sequence goes on by one, no number twice, none missing
        List<Long> sequences = polls(readCommitted(connect, Topics.RAW_POLLS.name()), apiId).stream()
            .map(PollResult::getSequence).toList();
        for (int i = 1; i < sequences.size(); i++) {
          assertThat(sequences.get(i)).as("sequence after %s of %s", sequences.get(i - 1), apiId)
              .isEqualTo(sequences.get(i - 1) + 1);
        }
      }
      // the stream resumed with Last-Event-ID: every event id once, in order
      List<Upstream.Request> connections = upstream.requests("/sse/" + sseApi);
      assertThat(connections.getFirst().lastEventId()).isNull();
      assertThat(connections.getLast().lastEventId()).isNotNull();
      await().atMost(Duration.ofSeconds(30)).until(() -> sseEvents(sseApi).size() >= Long.parseLong(connections.getLast().lastEventId()) + 3);
      List<Long> ids = sseEvents(sseApi).stream().map(e -> Long.parseLong(e.getEventId())).toList();
      for (int i = 0; i < ids.size(); i++) {
        assertThat(ids.get(i)).as("event %s", i).isEqualTo(i + 1L);
      }
    } finally {
      ConnectTestCluster.deleteAndAwaitStopped(connect, name);
      Map<String, Registration> tombstones = new HashMap<>();
      registrations.keySet().forEach(id -> tombstones.put(id, null));
      register(connect, tombstones);
    }
  }

  /**
   * The pipeline with the connector in place of the standalone ingest: the topology (Kafka Streams, in this JVM)
   * analyses the connector's records as it does the standalone's. The control API only serves the topology's
   * stores, and cannot share this JVM (its Javalin 7 needs Jetty 12.1; Connect's runtime brings Jetty 12.0), so
   * the stores are read where the control API's instances rebuild them from: the read_committed output topics.
   */
  @Test
  @Order(4)
  void shouldBeAnalysedByTheTopologyLikeTheStandaloneIngestsRecordsWhenTheConnectorIngests() throws Exception {
    String apiId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    String sseApi = "e2e-sse-" + UUID.randomUUID().toString().substring(0, 8);
    int k = 3;
    Path state = Files.createTempDirectory("seismo-connect-e2e");
    TopologyConfig topologyConfig = TopologyConfig.from(
        new Settings(Map.of(
            "SEISMO_BOOTSTRAP_SERVERS", connect.kafka().bootstrapServers(),
            "SEISMO_TOPOLOGY_APPLICATION_ID", "seismo-topology-" + apiId,
            "SEISMO_TOPOLOGY_STATE_DIR", state.toString(),
            "SEISMO_TOPOLOGY_THREADS", "1")));
    Map<String, Registration> registrations = new LinkedHashMap<>();
    registrations.put(apiId, registration(apiId, upstream.url("/doc/" + apiId)).build());
    registrations.put(sseApi, registration(sseApi, upstream.url("/sse/" + sseApi)).setMode(ApiMode.SSE).build());
    upstream.version(apiId, 0);
    register(connect, registrations);
    String name = "seismo-e2e";
    try (TopologyService topology = TopologyService.start(topologyConfig)) {
      connect.configureConnector(name, ConnectTestCluster.connectorConfig(connect, 2));
      for (int version = 1; version <= k; version++) {
        int seen = version - 1;
        await().atMost(Duration.ofSeconds(120)).until(() -> lastStatus(apiId) instanceof ApiStatus s
            && s.getChanges() == seen && s.getLastContentHash() != null);
        upstream.version(apiId, version);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> lastStatus(apiId) instanceof ApiStatus s
          && s.getChanges() == k);
      await().atMost(Duration.ofSeconds(60)).until(() -> lastStatus(sseApi) instanceof ApiStatus s
          && s.getChanges() >= 2);
      ConnectTestCluster.deleteAndAwaitStopped(connect, name); // no more raw records: the status settles on the last one
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        // the tasks stop a little after the delete answers: the last polls may still commit, so both are read again
        long polled = polls(readCommitted(connect, Topics.RAW_POLLS.name()), apiId).size();
        ApiStatus status = lastStatus(apiId);
        assertThat(status.getSamples()).isEqualTo(polled);
        assertThat(status.getChanges()).isEqualTo(k);
        assertThat(status.getErrors()).isZero();
        assertThat(status.getState().name()).isEqualTo("RUNNING");
        assertThat(status.getLastPayloadBytes()).isEqualTo(Upstream.body(apiId, k).getBytes(StandardCharsets.UTF_8).length);
      });
      List<Change> changes = readCommitted(connect, Topics.CHANGES.name()).stream()
          .filter(r -> apiId.equals(r.key()))
          .map(r -> Topics.CHANGES.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
      assertThat(changes).hasSize(k);
      assertThat(changes.getLast().getPatch()).contains("\"path\":\"/version\",\"value\":" + k);
      assertThat(readCommitted(connect, Topics.DLQ.name())).noneMatch(r -> r.key() != null && r.key().startsWith("e2e-"));
    } finally {
      if (connect.connectors().contains(name)) {
        ConnectTestCluster.deleteAndAwaitStopped(connect, name);
      }
      Map<String, Registration> tombstones = new HashMap<>();
      registrations.keySet().forEach(id -> tombstones.put(id, null));
      register(connect, tombstones);
    }
  }

  private static ApiStatus lastStatus(String apiId) {
    ApiStatus last = null;
    for (ConsumerRecord<String, byte[]> record : readCommitted(connect, Topics.STATUS.name())) {
      if (apiId.equals(record.key()) && record.value() != null) {
        last = Topics.STATUS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      }
    }
    return last;
  }

  private static List<SseEvent> sseEvents(String apiId) {
    return readCommitted(connect, Topics.RAW_SSE.name()).stream().filter(r -> apiId.equals(r.key()))
        .map(r -> Topics.RAW_SSE.valueSerde().deserializer().deserialize(r.topic(), r.value()))
        .filter(e -> e.getKind() == SseEventKind.EVENT).collect(Collectors.toList());
  }
}
