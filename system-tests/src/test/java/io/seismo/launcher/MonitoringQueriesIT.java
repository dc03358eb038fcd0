package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.observe.Observability;
import io.seismo.api.system.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric that compose's Grafana dashboard and Prometheus alert rules query is one the services
 * really expose: the names in each {@code expr} (and the dashboard's variable query) against what the
 * control API's and the ingest's {@code /metrics} answer on the running stack. A renamed metric, or a
 * panel written for a metric that does not exist, fails here rather than showing an empty graph.
 */
class MonitoringQueriesIT {

  private static final Path COMPOSE = Path.of("..", "compose");
  /** Seismo's, the Kafka clients', the JVM's and the process's metrics; PromQL functions and labels never match. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:seismo|kafka|jvm|process)_[a-z0-9_]+)\\b");

  @Test
  void shouldExposeEveryMetricThatTheDashboardAndTheAlertRulesQueryWhenTheStackRuns() throws Exception {
    SeismoStack stack = TestStack.stack();
    RestClient rest = new RestClient(stack.apiUrl());
    registerPolledApi(rest, "monitored-");

    Set<String> queried = queried();
    assertThat(queried).as("the dashboard's and the rules' metrics").hasSizeGreaterThan(15)
        .contains("kafka_consumer_fetch_manager_records_lag_max", "seismo_ingest_outage_buffer_bytes", "jvm_memory_used_bytes");
    HttpClient http = HttpClient.newHttpClient();
    URI ingestMetrics = URI.create("http://localhost:" + stack.ingest().httpPort() + "/metrics");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      Set<String> exposed = new TreeSet<>(exposed(rest.get("/metrics").body()));
      exposed.addAll(exposed(http.send(HttpRequest.newBuilder(ingestMetrics).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body()));
      Set<String> missing = new TreeSet<>(queried);
      missing.removeAll(exposed);
      assertThat(missing).as("queried by compose/grafana or compose/prometheus/alerts.yml, exposed by no service "
          + "(exposed: %s)", exposed.stream().filter(name -> name.startsWith("kafka_stream")).toList()).isEmpty();
    });
  }

  @Test
  void shouldExposeKafkaStreamsClientAndThreadMetricsButNotOnePerTaskAndStore() throws Exception {
    RestClient rest = new RestClient(TestStack.stack().apiUrl());
    String apiId = registerPolledApi(rest, "tasks-");
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() ->
        rest.get("/apis/" + apiId + "/status").status() == 200);
    // the topology's tasks have processed records: the binder looks for new Kafka meters again within its refresh
    Thread.sleep(Observability.KAFKA_METRICS_REFRESH.multipliedBy(2).toMillis());

    List<PrometheusText.Sample> samples = PrometheusText.parse(rest.get("/metrics").body());
    assertThat(samples).extracting(PrometheusText.Sample::name)
        .contains("kafka_stream_alive_stream_threads", "kafka_stream_thread_process_rate");
    // per task, processor node, topic and store: thousands of lines (stores x tasks x ~75), off by default
    assertThat(samples).filteredOn(sample -> sample.labels().containsKey("task_id"))
        .as("SEISMO_API_METRICS_STREAMS_TASKS is off").isEmpty();
  }

  /** Registers an API on the test upstream, polled every second; its apiId. */
  private static String registerPolledApi(RestClient rest, String prefix) throws Exception {
    String apiId = prefix + UUID.randomUUID().toString().substring(0, 8);
    TestStack.upstream().put("/" + apiId, "{\"a\":1}");
    assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
        + TestStack.upstream().url("/" + apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
    return apiId;
  }

  /** The metric names in the dashboard's queries and the alert rules' expressions. */
  private static Set<String> queried() throws Exception {
    Set<String> names = new TreeSet<>();
    JsonNode dashboard = new ObjectMapper().readTree(COMPOSE.resolve("grafana/dashboards/seismo.json").toFile());
    for (String field : new String[] {"expr", "query"}) {
      dashboard.findValues(field).stream().filter(JsonNode::isTextual).forEach(query -> names.addAll(metrics(query.asText())));
    }
    Files.readAllLines(COMPOSE.resolve("prometheus/alerts.yml")).stream()
        .filter(line -> line.trim().startsWith("expr:")).forEach(line -> names.addAll(metrics(line)));
    return names;
  }

  /** The metric names of a Prometheus text exposition, parsed as the control API's /system page parses it. */
  private static Set<String> exposed(String exposition) {
    Set<String> names = new TreeSet<>();
    PrometheusText.parse(exposition).forEach(sample -> names.add(sample.name()));
    return names;
  }

  private static Set<String> metrics(String query) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = METRIC.matcher(query);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
