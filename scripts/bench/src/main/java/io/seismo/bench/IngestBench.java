package io.seismo.bench;

import com.sun.net.httpserver.HttpServer;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.observe.PollObserver;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.ingest.poll.PollScheduler;
import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole path of a poll — schedule → HTTP request → PollResult → Avro → producer → Kafka ack —
 * against a JDK HttpClient loop that also produces a plain record of the same size with an ordinary
 * producer; both against a local upstream serving ~2 KB JSON and a real broker. Polls/s are acks/s.
 * A poll that fails (an error result, a worker that throws, a failed send) fails the round.
 */
final class IngestBench {

  private static final int CONCURRENCY = 32;
  private final double seconds;
  private final int warmups;
  private final int rounds;

  IngestBench(boolean quick) {
    this.seconds = quick ? 3 : 4;
    this.warmups = quick ? 1 : 3; // both sides and the local server still speed up over the first rounds
    this.rounds = quick ? 1 : 3;
  }

  List<Row> run() throws Exception {
    byte[] body = Documents.catalogue(2_000, 1).getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    String url = "http://localhost:" + server.getAddress().getPort() + "/data";
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 2, Optional.empty()).ensure(List.of(Topics.RAW_POLLS));
        admin.createTopics(List.of(new NewTopic("bench.plain-polls", 2, (short) 1)
            .configs(Topics.RAW_POLLS.configs()))).all().get(30, TimeUnit.SECONDS);
      }
      IngestConfig config = IngestConfig.from(new Settings(Map.of(
          "SEISMO_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
          "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8",
          "SEISMO_INGEST_MIN_INTERVAL", "1ms",
          "SEISMO_INGEST_HOST_CONCURRENCY", Integer.toString(CONCURRENCY))));
      HttpPoller poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()),
          Clock.systemUTC());
      RawEventProducer producer = new RawEventProducer(broker.bootstrapServers(), config.kafka(), config.outageBufferBytes());
      AtomicLong seismoAcks = new AtomicLong();
      producer.onDelivered(record -> seismoAcks.incrementAndGet());
      int recordBytes = Topics.RAW_POLLS.valueSerde().serializer().serialize("t", PollResult.newBuilder().setApiId("api-00")
          .setSequence(System.currentTimeMillis() * 1000).setRequestedAt(Instant.now()).setLatencyMs(3).setHttpStatus(200)
          .setHeaderBytes(120).setWireBodyBytes(body.length).setBodyBytes(body.length).setContentType("application/json")
          .setBody(ByteBuffer.wrap(body)).build()).length;

      Properties plainProps = new Properties();
      plainProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      plainProps.put(ProducerConfig.ACKS_CONFIG, "all");
      plainProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
      plainProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      plainProps.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
      HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
          .connectTimeout(config.connectTimeout()).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.callTimeout()).GET().build();
      try (KafkaProducer<String, byte[]> plain = new KafkaProducer<>(plainProps, new StringSerializer(), new ByteArraySerializer())) {
        // both producers have their metadata and connections before anything is timed
        Progress.step("ingest", "priming both producers");
        plain.send(new ProducerRecord<>("bench.plain-polls", "prime", new byte[recordBytes])).get(120, TimeUnit.SECONDS);
        producer.send(PollResult.newBuilder().setApiId("prime").setSequence(1).setRequestedAt(Instant.now())
            .setLatencyMs(1).setHttpStatus(200).setBody(ByteBuffer.wrap(body)).build());
        for (int wait = 0; wait < 1200 && seismoAcks.get() == 0; wait++) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        List<Row.Round> measured = Rounds.alternate("ingest", warmups, rounds,
            () -> seismoRound(config, poller, producer, seismoAcks, url),
            () -> plainRound(client, request, plain, recordBytes));
        Row.Round median = Rounds.medianByRatio(measured);
        boolean failedRound = measured.stream().anyMatch(r -> Double.isNaN(r.seismo()) || Double.isNaN(r.baseline()));
        String note = CONCURRENCY + " concurrent polls, local JDK HttpServer, broker in this JVM; " + (warmups > 0
            ? "median of " + rounds + " rounds of " + seconds + " s after " + warmups + " warm-up round(s)" : "no warm-up (--quick)")
            + "; ratios " + Rounds.ratios(measured);
        Row versus = Rounds.higher("ingest: whole poll path vs HttpClient + producer", "polls/s", measured, 1.0, note)
            .sides("Seismo: PollScheduler (" + CONCURRENCY + " APIs, 1 ms interval, host concurrency " + CONCURRENCY
                + ") → HttpPoller → PollResult → Avro → RawEventProducer → ack; baseline: " + CONCURRENCY
                + " virtual threads, JDK HttpClient (same timeouts) → plain " + recordBytes + "-byte record → KafkaProducer "
                + "→ ack; both acks=all, zstd, linger.ms 5, batch 64 KB; polls/s = acks/s");
        Row absolute = Row.higher("ingest: whole poll path, absolute", "polls/s", median.seismo(), 1_500, 1.0,
                "target: ≥ 1,500 polls/s on this machine; rounds " + String.join(" ",
                    measured.stream().map(r -> Progress.number(r.seismo())).toList()))
            .rounds(measured.stream().map(r -> new Row.Round(r.seismo(), 1_500)).toList())
            .sides("the Seismo side of the row above, against a fixed 1,500 polls/s");
        if (failedRound) {
          versus = versus.failure("a round had failed polls or a worker that threw (see the progress log)");
          absolute = absolute.failure("a round had failed polls");
        }
        return List.of(versus, absolute);
      } finally {
        client.close();
        producer.close();
        poller.close();
      }
    } finally {
      server.stop(0);
    }
  }

  /** One round of the Seismo path: a fresh scheduler with the APIs; acks/s after a 1 s ramp-up; NaN when a poll failed. */
  private double seismoRound(IngestConfig config, HttpPoller poller, RawEventProducer producer, AtomicLong acks, String url)
      throws InterruptedException {
    AtomicLong errors = new AtomicLong();
    ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    PollObserver observer = new PollObserver() {
      @Override
      public void polled(PollResult result) {
        if (result.getError() != null && errors.incrementAndGet() <= 3) {
          firstErrors.add(result.getError().getMessage());
        }
      }

      @Override
      public void started(Duration lag) {}
    };
    long failedBefore = producer.failed() + producer.dropped();
    double rate;
    try (PollScheduler scheduler = new PollScheduler(config, poller, producer, observer)) {
      for (int i = 0; i < CONCURRENCY; i++) {
        String apiId = String.format("api-%02d", i);
        scheduler.apply(apiId, Registration.newBuilder().setApiId(apiId).setUrl(url).setMode(ApiMode.POLL)
            .setDesiredState(DesiredState.RUNNING).setPollIntervalMs(1).build());
      }
      TimeUnit.SECONDS.sleep(1);
      long from = acks.get();
      long start = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
      rate = (acks.get() - from) / ((System.nanoTime() - start) / 1e9);
    }
    long failed = producer.failed() + producer.dropped() - failedBefore;
    if (errors.get() > 0 || failed > 0) {
      Progress.note("ingest", "Seismo round failed: " + errors.get() + " failed polls " + firstErrors + ", " + failed
          + " records not delivered");
      return Double.NaN;
    }
    return rate;
  }

  /** One round of the baseline: HttpClient loop → plain record → producer; acks/s after a 1 s ramp-up; NaN on any failure. */
  private double plainRound(HttpClient client, HttpRequest request, KafkaProducer<String, byte[]> producer, int recordBytes)
      throws InterruptedException {
    AtomicLong acks = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    double rate;
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CONCURRENCY; i++) {
        String apiId = String.format("api-%02d", i);
        workers.submit(() -> {
          try {
            while (!stop.get()) {
              HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
              if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
              }
              byte[] value = new byte[recordBytes]; // the same size as Seismo's record
              System.arraycopy(response.body(), 0, value, recordBytes - response.body().length, response.body().length);
              producer.send(new ProducerRecord<>("bench.plain-polls", null, System.currentTimeMillis(), apiId, value),
                  (metadata, error) -> (error == null ? acks : failures).incrementAndGet());
            }
          } catch (Exception e) {
            thrown.add(e);
          }
          return null;
        });
      }
      TimeUnit.SECONDS.sleep(1);
      long from = acks.get();
      long start = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
      rate = (acks.get() - from) / ((System.nanoTime() - start) / 1e9);
      stop.set(true);
    }
    producer.flush();
    if (!thrown.isEmpty() || failures.get() > 0) {
      Progress.note("ingest", "baseline round failed: " + thrown.size() + " workers threw " + thrown.peek() + ", "
          + failures.get() + " sends failed");
      return Double.NaN;
    }
    return rate;
  }
}
