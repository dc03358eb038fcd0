package io.seismo.bench;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.net.AddressGuard;
import io.seismo.ingest.net.SecretResolver;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.ingest.sse.SseSupervisor;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.config.Settings;
import io.seismo.schemas.topic.TopicInitializer;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Server-Sent Events ingest. Memory: heap per idle stream of Seismo's SSE jobs (read-idle detection,
 * Last-Event-ID, backoff, lifecycle records) against bare okhttp-sse EventSources with a no-op
 * listener and the same virtual-thread dispatcher, both against one server in its own JVM.
 * Latency: event sent by the server → acknowledged by Kafka (acks=all, through the outage buffer and
 * the idempotent producer), at 1,000 events/s over 100 streams.
 */
final class SseBench {

  private final int streams;
  private final int latencySeconds;

  SseBench(boolean quick) {
    this.streams = quick ? 2_000 : 10_000;
    this.latencySeconds = quick ? 5 : 20;
  }

  List<Row> run() throws Exception {
    Process server = startServer(1_000);
    try {
      int port = Integer.parseInt(new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.US_ASCII)).readLine().strip());
      String base = "http://127.0.0.1:" + port;
      IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8")));

      long floor = usedHeapAfterGc();
      long bare = bareStreams(base) - floor;
      floor = usedHeapAfterGc();
      long seismo = seismoStreams(base, config) - floor;
      double bareKb = bare / 1024.0 / streams;
      double seismoKb = seismo / 1024.0 / streams;

      Latencies latencies = latency(base, config);
      return List.of(
          Row.lower("sse: heap per idle stream", "KB", seismoKb, bareKb, 1.5 * bareKb,
              streams + " open streams; baseline: bare okhttp-sse EventSource, no-op listener; target ≤ 1.5× baseline"),
          Row.lower("sse: event → Kafka ack p99 at 1,000 ev/s", "ms", latencies.percentileMs(0.99), Double.NaN, 50,
              "100 streams, " + latencySeconds + " s, acks=all; p50 "
                  + String.format(java.util.Locale.ROOT, "%.1f ms", latencies.percentileMs(0.5))));
    } finally {
      server.destroyForcibly();
    }
  }

  private Process startServer(int eventsPerSecond) throws Exception {
    String classpath = System.getProperty("java.class.path");
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", classpath, SseServerMain.class.getName(), Integer.toString(eventsPerSecond))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Opens the streams with bare okhttp-sse, measures, closes them; returns the heap used while open. */
  private long bareStreams(String base) throws Exception {
    Dispatcher dispatcher = new Dispatcher(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()));
    dispatcher.setMaxRequests(100_000);
    dispatcher.setMaxRequestsPerHost(100_000);
    OkHttpClient client = new OkHttpClient.Builder().dispatcher(dispatcher)
        .readTimeout(0, TimeUnit.MILLISECONDS).build();
    CountDownLatch open = new CountDownLatch(streams);
    EventSourceListener listener = new EventSourceListener() {
      @Override
      public void onOpen(EventSource source, Response response) {
        open.countDown();
      }
    };
    EventSource.Factory factory = EventSources.createFactory(client);
    List<EventSource> sources = new ArrayList<>(streams);
    for (int i = 0; i < streams; i++) {
      sources.add(factory.newEventSource(new Request.Builder().url(base + "/idle/" + i).build(), listener));
    }
    if (!open.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("bare streams did not open: " + open.getCount() + " missing");
    }
    long used = usedHeapAfterGc();
    sources.forEach(EventSource::cancel);
    dispatcher.executorService().shutdownNow();
    client.connectionPool().evictAll();
    sources.clear();
    TimeUnit.SECONDS.sleep(2);
    return used;
  }

  /** Runs Seismo's SSE jobs on the streams, measures, stops them; returns the heap used while open. */
  private long seismoStreams(String base, IngestConfig config) throws Exception {
    CountDownLatch open = new CountDownLatch(streams);
    HttpPoller poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()),
        Clock.systemUTC());
    try (SseSupervisor supervisor = new SseSupervisor(config, poller.client(), AddressGuard.allowing(config.allowHosts()),
        SecretResolver.of(Map.of()), event -> {
          if (event.getKind() == SseEventKind.OPEN) {
            open.countDown();
          }
        })) {
      for (int i = 0; i < streams; i++) {
        supervisor.apply("sse-" + i, registration("sse-" + i, base + "/idle/" + i));
      }
      if (!open.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Seismo streams did not open: " + open.getCount() + " missing");
      }
      return usedHeapAfterGc();
    } finally {
      poller.close();
      TimeUnit.SECONDS.sleep(2);
    }
  }

  private Latencies latency(String base, IngestConfig config) throws Exception {
    Latencies latencies = new Latencies(2_000_000);
    AtomicLong warm = new AtomicLong();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 2, Optional.empty()).ensure(List.of(Topics.RAW_SSE));
      }
      RawEventProducer producer = new RawEventProducer(broker.bootstrapServers(), new Properties(), 64L << 20);
      long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // JIT and connections warm up first
      producer.onDelivered(record -> {
        SseEvent event = Topics.RAW_SSE.valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (event.getKind() != SseEventKind.EVENT || event.getData() == null) {
          return;
        }
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - Long.parseLong(event.getData().strip());
        if (System.nanoTime() > measureFrom) {
          latencies.add(micros * 1_000);
        } else {
          warm.incrementAndGet();
        }
      });
      HttpPoller poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()),
          SecretResolver.of(Map.of()), Clock.systemUTC());
      try (SseSupervisor supervisor = new SseSupervisor(config, poller.client(),
          AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()), producer)) {
        for (int i = 0; i < 100; i++) {
          supervisor.apply("events-" + i, registration("events-" + i, base + "/events/" + i));
        }
        TimeUnit.SECONDS.sleep(3 + latencySeconds);
      } finally {
        poller.close();
        producer.close();
      }
    }
    if (latencies.count() < latencySeconds * 500L) {
      throw new IllegalStateException("too few events measured: " + latencies.count());
    }
    return latencies;
  }

  private static Registration registration(String apiId, String url) {
    return Registration.newBuilder().setApiId(apiId).setUrl(url).setMode(ApiMode.SSE)
        .setDesiredState(DesiredState.RUNNING).setPollIntervalMs(60_000).build();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
