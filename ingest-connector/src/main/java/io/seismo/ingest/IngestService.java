package io.seismo.ingest;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.notify.WebhookNotifier;
import io.seismo.ingest.notify.channel.Channels;
import io.seismo.ingest.observe.IngestHttpServer;
import io.seismo.ingest.observe.IngestMetrics;
import io.seismo.ingest.observe.JobState;
import io.seismo.ingest.observe.KafkaProbe;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.ingest.poll.PollScheduler;
import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.ingest.registration.RegistrationConsumer;
import io.seismo.ingest.sse.SseSupervisor;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest process: registration consumer, poll scheduler and raw-event producer, started and stopped together. */
public final class IngestService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

  private final RawEventProducer producer;
  private final Duration shutdownTimeout;
  private final HttpPoller poller;
  private final PollScheduler scheduler;
  private final SseSupervisor streams;
  private final Jobs jobs;
  private final RegistrationConsumer registrations;
  private final WebhookNotifier notifier;
  private final Thread consumerThread;
  private final IngestMetrics metrics = new IngestMetrics();
  private final IngestHttpServer http;
  private volatile KafkaProbe probe;

  private IngestService(IngestConfig config, SecretResolver secrets) {
    // first, so that a port in use fails the start before any client or thread exists
    this.http = new IngestHttpServer(config.httpPort(), metrics, this::readiness);
    AddressGuard guard = AddressGuard.allowing(config.allowHosts());
    this.producer = new RawEventProducer(config.bootstrapServers(), config.kafka(), config.outageBufferBytes());
    this.shutdownTimeout = config.shutdownTimeout();
    this.poller = new HttpPoller(config, guard, secrets, Clock.systemUTC());
    this.scheduler = new PollScheduler(config, poller, producer, metrics);
    this.streams = new SseSupervisor(config, poller.client(), guard, secrets, producer);
    this.jobs = new Jobs(scheduler, streams);
    this.registrations = new RegistrationConsumer(config, jobs);
    this.notifier = config.notifyEnabled()
        ? new WebhookNotifier(config.bootstrapServers(), config.kafka(), poller.client(), guard, config.notifySecret(),
            new WebhookNotifier.Settings(config.notifyMaxAttempts(), config.notifyBackoff(), config.notifyMaxBackoff(),
                config.notifyDeadline(), config.notifyQueue(), 10_000),
            config.notifyChannelsFile().map(file -> Channels.load(file, secrets))
                .orElse(Channels.none()))
        : null;
    this.consumerThread = Thread.ofPlatform().name("seismo-ingest-registrations").unstarted(registrations);
  }

  public static IngestService start(IngestConfig config) {
    return start(config, SecretResolver.fromSystemEnvironment(config.secretNames()));
  }

  public static IngestService start(IngestConfig config, SecretResolver secrets) {
    IngestService service = new IngestService(config, secrets);
    service.metrics.bind(service.producer, service::jobStates, () -> service.readiness().ready());
    service.probe = new KafkaProbe(config.bootstrapServers(), config.kafka(), PROBE_INTERVAL);
    service.consumerThread.start();
    if (service.notifier != null) {
      service.notifier.start();
    }
    log.info("ingest started bootstrap={} group={} allowHosts={} secretEnvAllow={} httpPort={}", config.bootstrapServers(),
        config.groupId(), config.allowHosts(), config.secretNames().describe(), service.http.port());
    return service;
  }

  /** Ready: the registrations of this instance's partitions are loaded, Kafka answers and no outage is buffering. */
  public IngestHttpServer.Readiness readiness() {
    KafkaProbe kafka = probe; // null until started
    return new IngestHttpServer.Readiness(registrations != null && registrations.loaded(),
        kafka != null && kafka.reachable() && producer != null && !producer.inOutage());
  }

  private List<JobState> jobStates() {
    List<JobState> states = new ArrayList<>(scheduler.states());
    states.addAll(streams.states());
    return states;
  }

  /** The port of /metrics and /health/* (SEISMO_INGEST_HTTP_PORT; 0 there: the one picked). */
  public int httpPort() {
    return http.port();
  }

  /** The apiIds this instance polls right now. */
  public Set<String> runningApis() {
    return jobs.running();
  }

  public long sentRecords() {
    return producer.sent();
  }

  @Override
  public void close() {
    log.info("ingest stopping");
    http.close();
    registrations.close();
    if (notifier != null) {
      notifier.close();
    }
    streams.close();
    scheduler.close();
    producer.close(shutdownTimeout);
    poller.close();
    probe.close();
    metrics.close();
    log.info("ingest stopped sent={} failed={} droppedInOutage={}", producer.sent(), producer.failed(), producer.dropped());
  }
}
