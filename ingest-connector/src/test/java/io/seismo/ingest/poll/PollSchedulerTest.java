package io.seismo.ingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.ingest.produce.RawEventSink;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.testsupport.CapturedLogs;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A poll in flight when its API moves to another instance was answered by the upstream: it is still
 * recorded (IngestFailoverIT lost such a poll in a rebalance); one in flight when the API is stopped
 * or deleted belongs to no job and is dropped. Kafka is unreachable here, so what the scheduler hands
 * to the producer stays in its outage buffer, where it is counted.
 */
class PollSchedulerTest {

  private final MockWebServer upstream = new MockWebServer();
  private IngestConfig config;
  private HttpPoller poller;
  private RawEventProducer producer;
  private PollScheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    upstream.start();
    config = IngestConfig.from(new Settings(Map.of("SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8,::1/128")));
    poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()), Clock.systemUTC());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // nothing listens there once closed
    }
    Properties overrides = new Properties();
    overrides.put("max.block.ms", "200");
    producer = new RawEventProducer("localhost:" + closedPort, overrides, 1024 * 1024);
    scheduler = new PollScheduler(config, poller, producer);
  }

  @AfterEach
  void stop() throws Exception {
    scheduler.close();
    producer.close(Duration.ofMillis(300));
    poller.close();
    upstream.close();
  }

  @Test
  void shouldRecordThePollInFlightWhenItsApiIsHandedOver() throws Exception {
    upstream.enqueue(new MockResponse.Builder().body("{\"n\":1}").headersDelay(500, TimeUnit.MILLISECONDS).build());
    scheduler.apply("api", registration());
    assertThat(upstream.takeRequest(5, TimeUnit.SECONDS)).as("the first poll, in flight").isNotNull();

    scheduler.handOver(Set.of("api"), Duration.ofSeconds(5));

    assertThat(scheduler.running()).isEmpty();
    assertThat(producer.pendingCount()).as("answered polls handed to the producer when the hand-over returns").isEqualTo(1);
  }

  @Test
  void shouldDropThePollInFlightWhenItsApiIsStopped() throws Exception {
    upstream.enqueue(new MockResponse.Builder().body("{\"n\":1}").headersDelay(500, TimeUnit.MILLISECONDS).build());
    scheduler.apply("api", registration());
    assertThat(upstream.takeRequest(5, TimeUnit.SECONDS)).as("the first poll, in flight").isNotNull();

    scheduler.stop("api");
    TimeUnit.MILLISECONDS.sleep(1500); // the answer has come by then

    assertThat(scheduler.running()).isEmpty();
    assertThat(producer.pendingCount()).as("polls handed to the producer").isEqualTo(0);
  }

  @Test
  void shouldLogTheApiIdAsAContextFieldWhenAPollJobFailsUnexpectedly() throws Exception {
    upstream.enqueue(new MockResponse.Builder().body("{\"n\":1}").build());
    RawEventSink failing = new RawEventSink() {
      @Override
      public void send(PollResult result) {
        throw new IllegalStateException("sink broken");
      }

      @Override
      public void send(SseEvent event) {}
    };
    try (CapturedLogs logs = CapturedLogs.of(PollScheduler.class.getName());
         PollScheduler failingScheduler = new PollScheduler(config, poller, failing)) {
      failingScheduler.apply("api", registration());

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream()
          .anyMatch(line -> line.message().startsWith("poll job failed unexpectedly")));
      CapturedLogs.Line failed = logs.lines().stream()
          .filter(line -> line.message().startsWith("poll job failed unexpectedly")).findFirst().orElseThrow();
      assertThat(failed.context()).containsEntry("apiId", "api");
    }
  }

  private Registration registration() {
    return Registration.newBuilder().setApiId("api").setUrl(upstream.url("/api").toString()).setPollIntervalMs(60_000)
        .setDesiredState(DesiredState.RUNNING).build();
  }
}
