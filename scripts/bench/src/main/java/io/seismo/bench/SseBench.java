package io.seismo.bench;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.ingest.sse.SseSupervisor;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.ApiMode;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Server-Sent Events ingest. Memory: heap per open stream of Seismo's SSE jobs (read-idle detection,
 * Last-Event-ID, backoff, lifecycle records) writing to Kafka through the real RawEventProducer (Avro
 * single-object encoding on the stream's thread), against bare okhttp-sse EventSources whose listener
 * hands each event's data to a plain KafkaProducer, with the same virtual-thread dispatcher; both
 * against one server in its own JVM and one broker. One stream in 20 starts with a 200 KB snapshot
 * event; the heap is measured once every snapshot is acknowledged by Kafka. Rounds alternate which side
 * goes first. Latency: event sent by the server → acknowledged by Kafka (acks=all, through the outage
 * buffer and the idempotent producer), at 1,000 events/s over 100 streams.
 */
final class SseBench {

  private static final int BIG_EVERY = 20;
  private final int streams;
  private final int rounds;
  private final int latencySeconds;

  SseBench(boolean quick) {
    this.streams = quick ? 2_000 : 10_000;
    this.rounds = quick ? 1 : 2;
    this.latencySeconds = quick ? 5 : 20;
  }

  List<Row> run() throws Exception {
    Process server = startServer(1_000);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 2, Optional.empty()).ensure(List.of(Topics.RAW_SSE));
        admin.createTopics(List.of(new NewTopic("bench.plain-sse", 2, (short) 1)
            .configs(Topics.RAW_SSE.configs()))).all().get(30, TimeUnit.SECONDS);
      }
      int port = Integer.parseInt(new BufferedReader(new InputStreamReader(server.getInputStream(),
          StandardCharsets.US_ASCII)).readLine().strip());
      String base = "http://127.0.0.1:" + port;
      IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8")));
      String bootstrap = broker.bootstrapServers();

      List<Row.Round> heap = Rounds.alternate("sse heap", 0, rounds, () -> {
        long floor = usedHeapAfterGc();
        return (seismoStreams(base, config, bootstrap) - floor) / 1024.0 / streams;
      }, () -> {
        long floor = usedHeapAfterGc();
        return (bareStreams(base, bootstrap) - floor) / 1024.0 / streams;
      });
      Row.Round median = Rounds.medianByRatio(heap);

      Latencies latencies = latency(base, config, bootstrap);
      return List.of(
          Row.lower("sse: heap per open stream (5% with a 200 KB snapshot)", "KB", median.seismo(), median.baseline(),
                  1.2 * median.baseline(), streams + " open streams, " + streams / BIG_EVERY
                      + " of them got a 200 KB event first; measured after every event was acknowledged; target ≤ 1.2× "
                      + "baseline; ratios of the rounds " + Rounds.ratios(heap))
              .rounds(heap)
              .sides("Seismo: SseSupervisor jobs → RawEventProducer (SseEvent → Avro on the stream's thread, outage buffer, "
                  + "acks=all); baseline: bare okhttp-sse EventSources whose listener sends the event data to a plain "
                  + "KafkaProducer (same batch size, zstd, acks=all); same virtual-thread dispatcher, same server"),
          Row.lower("sse: event → Kafka ack p99 at 1,000 ev/s", "ms", latencies.percentileMs(0.99), Double.NaN, 50,
                  "100 streams, " + latencySeconds + " s, acks=all; p50 "
                      + String.format(Locale.ROOT, "%.1f ms", latencies.percentileMs(0.5)))
              .sides("server send time → RawEventProducer delivery callback, through SseJob, Avro and the outage buffer"));
    } finally {
      server.destroyForcibly();
    }
  }

  private String path(int i) {
    return (i % BIG_EVERY == 0 ? "/big/" : "/idle/") + i;
  }

  private Process startServer(int eventsPerSecond) throws Exception {
    String classpath = System.getProperty("java.class.path");
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", classpath, SseServerMain.class.getName(), Integer.toString(eventsPerSecond))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Opens the streams with bare okhttp-sse + a plain producer, measures once the snapshots are acked, closes; returns the heap used. */
  private long bareStreams(String base, String bootstrap) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024));
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    Dispatcher dispatcher = new Dispatcher(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()));
    dispatcher.setMaxRequests(100_000);
    dispatcher.setMaxRequestsPerHost(100_000);
    OkHttpClient client = new OkHttpClient.Builder().dispatcher(dispatcher)
        .readTimeout(0, TimeUnit.MILLISECONDS).build();
    CountDownLatch open = new CountDownLatch(streams);
    CountDownLatch snapshots = new CountDownLatch(bigStreams());
    EventSource.Factory factory = EventSources.createFactory(client);
    List<EventSource> sources = new ArrayList<>(streams);
    try {
      for (int i = 0; i < streams; i++) {
        String key = "sse-" + i;
        sources.add(factory.newEventSource(new Request.Builder().url(base + path(i)).build(), new EventSourceListener() {
          @Override
          public void onOpen(EventSource source, Response response) {
            open.countDown();
          }

          @Override
          public void onEvent(EventSource source, String id, String type, String data) {
            producer.send(new ProducerRecord<>("bench.plain-sse", key, data.getBytes(StandardCharsets.UTF_8)),
                (metadata, error) -> {
                  if (error == null) {
                    snapshots.countDown();
                  }
                });
          }
        }));
      }
      if (!open.await(120, TimeUnit.SECONDS) || !snapshots.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("bare streams did not open or deliver: " + open.getCount() + " streams, "
            + snapshots.getCount() + " snapshots missing");
      }
      return usedHeapAfterGc();
    } finally {
      sources.forEach(EventSource::cancel);
      dispatcher.executorService().shutdownNow();
      client.connectionPool().evictAll();
      producer.close();
      sources.clear();
      TimeUnit.SECONDS.sleep(2);
    }
  }

  private int bigStreams() {
    return (streams + BIG_EVERY - 1) / BIG_EVERY;
  }

  /** Runs Seismo's SSE jobs on the streams with the real producer, measures once the snapshots are acked, stops; returns the heap used. */
  private long seismoStreams(String base, IngestConfig config, String bootstrap) throws Exception {
    CountDownLatch open = new CountDownLatch(streams);
    CountDownLatch snapshots = new CountDownLatch(bigStreams());
    HttpPoller poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()),
        Clock.systemUTC());
    RawEventProducer producer = new RawEventProducer(bootstrap, new Properties(), 64L << 20);
    producer.onDelivered(record -> {
      if (record.value().length > 100_000) {
        snapshots.countDown();
      }
    });
    try (SseSupervisor supervisor = new SseSupervisor(config, poller.client(), AddressGuard.allowing(config.allowHosts()),
        SecretResolver.of(Map.of()), event -> {
          if (event.getKind() == SseEventKind.OPEN) {
            open.countDown();
          }
          producer.send(event);
        })) {
      for (int i = 0; i < streams; i++) {
        supervisor.apply("sse-" + i, registration("sse-" + i, base + path(i)));
      }
      if (!open.await(120, TimeUnit.SECONDS) || !snapshots.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Seismo streams did not open or deliver: " + open.getCount() + " streams, "
            + snapshots.getCount() + " snapshots missing");
      }
      return usedHeapAfterGc();
    } finally {
      poller.close();
      producer.close();
      TimeUnit.SECONDS.sleep(2);
    }
  }

  private Latencies latency(String base, IngestConfig config, String bootstrap) throws Exception {
    Latencies latencies = new Latencies(2_000_000);
    AtomicLong warm = new AtomicLong();
    {
      Progress.step("sse latency", latencySeconds + " s at 1,000 events/s");
      RawEventProducer producer = new RawEventProducer(bootstrap, new Properties(), 64L << 20);
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
