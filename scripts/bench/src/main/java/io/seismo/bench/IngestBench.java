package io.seismo.bench;

import com.sun.net.httpserver.HttpServer;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.net.AddressGuard;
import io.seismo.ingest.net.SecretResolver;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.schemas.config.Settings;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Polls per second against a local upstream serving ~2 KB JSON: HttpPoller vs a bare JDK HttpClient loop. */
final class IngestBench {

  private static final int CONCURRENCY = 32;
  private final double seconds;

  IngestBench(boolean quick) {
    this.seconds = quick ? 3 : 8;
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
    try {
      IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8")));
      HttpPoller poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()),
          Clock.systemUTC());
      AtomicLong sequence = new AtomicLong();
      double seismo = loop(() -> {
        var polled = poller.poll(new HttpPoller.PollRequest("bench", sequence.incrementAndGet(), url, Map.of(), null, null));
        if (polled.result().getError() != null) {
          throw new IllegalStateException(polled.result().getError().getMessage());
        }
      });
      poller.close();
      HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
      double baseline = loop(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
      client.close();
      return List.of(
          Row.higher("ingest: polls of a 2 KB JSON API", "polls/s", seismo, baseline, 0.8,
              CONCURRENCY + " virtual threads, local JDK HttpServer; baseline: JDK HttpClient, same loop"),
          Row.higher("ingest: polls/s absolute", "polls/s", seismo, 1_500, 1.0, "target: ≥ 1,500 polls/s on this machine"));
    } finally {
      server.stop(0);
    }
  }

  interface Call {
    void run() throws Exception;
  }

  private double loop(Call call) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    long end = warmupEnd + (long) (seconds * 1e9);
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CONCURRENCY; i++) {
        workers.submit(() -> {
          long now;
          while ((now = System.nanoTime()) < end) {
            call.run();
            if (now > warmupEnd) {
              done.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    return done.get() / seconds;
  }
}
