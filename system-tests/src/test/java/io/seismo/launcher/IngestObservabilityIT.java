package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.seismo.ingest.IngestService;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The ingest process's own HTTP surface, scraped by a plain JDK HTTP client: /health/ready answers 503
 * while the registrations are not loaded and Kafka is unreachable, 200 once they are, 503 again when the
 * broker goes away; /metrics counts
 * exactly the polls an upstream (a JDK HttpServer) received and the raw records a plain read_committed
 * consumer finds. A broker of its own, so that no other test's registrations are polled.
 */
class IngestObservabilityIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldBeUnreadyWhenKafkaIsUnreachable() throws Exception {
    int httpPort = freePort();
    try (IngestService ingest = IngestService.start(config("127.0.0.1:" + freePort(), httpPort, "obs-down"))) {
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)) // two failed Kafka probes and more
          .until(() -> get(httpPort, "/health/ready").statusCode() == 503);

      HttpResponse<String> ready = get(httpPort, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"registrations\":\"LOADING\",\"kafka\":\"UNREACHABLE\"}");
      HttpResponse<String> live = get(httpPort, "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }
  }

  @Test
  void shouldCountExactlyThePollsDoneWhenScraped() throws Exception {
    Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(path.startsWith("/fail") ? 500 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    upstream.start();
    String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
    int httpPort = freePort();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
    boolean brokerUp = true;
    try {
      SeismoStack.createTopics(broker.bootstrapServers(), 2);
      try (IngestService ingest = IngestService.start(config(broker.bootstrapServers(), httpPort, "obs-up"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> get(httpPort, "/health/ready").statusCode() == 200);
        assertThat(get(httpPort, "/health/ready").body())
            .isEqualTo("{\"status\":\"UP\",\"registrations\":\"LOADED\",\"kafka\":\"REACHABLE\"}");

        // one poll each (the next is a minute away): two answered 200, one 500
        register(broker.bootstrapServers(), List.of(
            registration("obs-a", base + "/a"), registration("obs-b", base + "/b"),
            registration("obs-fail", base + "/fail")));
        await().atMost(Duration.ofSeconds(30)).until(() -> requests.values().stream().mapToInt(AtomicInteger::get).sum() == 3
            && scrape(httpPort).contains("\nseismo_ingest_raw_events_sent_total 3.0\n"));
        String metrics = scrape(httpPort);
        assertThat(rawPolls(broker.bootstrapServers())).isEqualTo(3);

        assertThat(metrics.lines()).contains(
            "seismo_ingest_polls_total{outcome=\"ok\"} 2.0",
            "seismo_ingest_polls_total{outcome=\"error\"} 1.0",
            "seismo_ingest_raw_events_sent_total 3.0",
            "seismo_ingest_raw_events_failed_total 0.0",
            "seismo_ingest_raw_events_dropped_total 0.0",
            "seismo_ingest_outage_buffer_bytes 0.0",
            "seismo_ingest_outage_buffer_records 0.0",
            "seismo_ingest_outage_buffer_limit_bytes 6.7108864E7",
            "seismo_ingest_schedule_lag_seconds_count 3",
            "seismo_ingest_jobs{kind=\"poll\",state=\"up\"} 2.0",
            "seismo_ingest_jobs{kind=\"poll\",state=\"failing\"} 1.0",
            "seismo_ingest_job_consecutive_failures{apiId=\"obs-fail\",kind=\"poll\"} 1.0",
            "seismo_ingest_ready 1.0");
        assertThat(metrics).as("jobs that are up have no series of their own").doesNotContain("apiId=\"obs-a\"");
        assertThat(metrics).contains("\nkafka_producer_record_error_total{");
        assertThat(get(httpPort, "/metrics").headers().firstValue("Content-Type"))
            .hasValue("text/plain; version=0.0.4; charset=utf-8");

        // the broker goes away: unready within a few probes, and /metrics says so too
        broker.close();
        brokerUp = false;
        await().atMost(Duration.ofSeconds(30)).until(() -> get(httpPort, "/health/ready").statusCode() == 503);
        assertThat(get(httpPort, "/health/ready").body())
            .isEqualTo("{\"status\":\"DOWN\",\"registrations\":\"LOADED\",\"kafka\":\"UNREACHABLE\"}");
        assertThat(scrape(httpPort).lines()).contains("seismo_ingest_ready 0.0");
      }
    } finally {
      if (brokerUp) {
        broker.close();
      }
      upstream.stop(0);
    }
  }

  private static IngestConfig config(String bootstrapServers, int httpPort, String group) {
    return IngestConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", bootstrapServers,
        "SEISMO_INGEST_GROUP_ID", group + "-" + UUID.randomUUID(),
        "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8",
        "SEISMO_INGEST_HTTP_PORT", Integer.toString(httpPort),
        "SEISMO_NOTIFY_ENABLED", "false")));
  }

  private static Registration registration(String apiId, String url) {
    return Registration.newBuilder().setApiId(apiId).setUrl(url).setPollIntervalMs(60_000).build();
  }

  private static void register(String bootstrapServers, List<Registration> registrations) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaProducer<String, Registration> producer = new KafkaProducer<>(props, new StringSerializer(),
        Topics.REGISTRATIONS.valueSerde().serializer())) {
      registrations.forEach(r -> producer.send(new ProducerRecord<>(Topics.REGISTRATIONS.name(), r.getApiId(), r)));
    }
  }

  private static int rawPolls(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "obs-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int count = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.RAW_POLLS.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(500)).count();
      }
    }
    return count;
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response = get(port, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
