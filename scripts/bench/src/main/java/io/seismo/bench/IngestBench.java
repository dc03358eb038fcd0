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
import java.util.ArrayList;
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
  private final int rounds;

  IngestBench(boolean quick) {
    this.seconds = quick ? 3 : 4;
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
    try {
      IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8")));
      HttpPoller poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()),
          Clock.systemUTC());
      AtomicLong sequence = new AtomicLong();
      Call seismoPoll = () -> {
        var polled = poller.poll(new HttpPoller.PollRequest("bench", sequence.incrementAndGet(), url, Map.of(), null, null));
        if (polled.result().getError() != null) {
          throw new IllegalStateException(polled.result().getError().getMessage());
        }
      };
      // the same connect and total timeouts as the poller: a poll without a deadline is not a poll
      HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
          .connectTimeout(config.connectTimeout()).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.callTimeout()).GET().build();
      Call baselinePoll = () -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
      // Rounds alternate which side goes first; the round with the median ratio is reported (the
      // machine's speed drifts between two runs of a few seconds on 2 shared cores).
      if (rounds > 1) { // warm-up round, not measured: both clients' code compiled before either is timed
        loop(seismoPoll);
        loop(baselinePoll);
      }
      List<double[]> runs = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        double[] run = new double[2];
        if (round % 2 == 0) {
          run[0] = loop(seismoPoll);
          run[1] = loop(baselinePoll);
        } else {
          run[1] = loop(baselinePoll);
          run[0] = loop(seismoPoll);
        }
        runs.add(run);
      }
      poller.close();
      client.close();
      runs.sort(java.util.Comparator.comparingDouble(run -> run[0] / run[1]));
      double seismo = runs.get((runs.size() - 1) / 2)[0];
      double baseline = runs.get((runs.size() - 1) / 2)[1];
      String ratios = runs.stream().map(run -> String.format(java.util.Locale.ROOT, "%.2f", run[0] / run[1]))
          .collect(java.util.stream.Collectors.joining(" "));
      return List.of(
          Row.higher("ingest: polls of a 2 KB JSON API", "polls/s", seismo, baseline, 0.8,
              CONCURRENCY + " virtual threads, local JDK HttpServer; baseline: JDK HttpClient with the same connect and total timeouts, same loop; median of "
                  + rounds + " rounds after a warm-up round (ratios " + ratios + ")"),
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
