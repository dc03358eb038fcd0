package io.seismo.ingest;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.net.AddressGuard;
import io.seismo.ingest.net.SecretResolver;
import io.seismo.ingest.notify.WebhookNotifier;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.ingest.poll.PollScheduler;
import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.ingest.registration.RegistrationConsumer;
import io.seismo.ingest.sse.SseSupervisor;
import java.time.Clock;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest process: registration consumer, poll scheduler and raw-event producer, started and stopped together. */
public final class IngestService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private final RawEventProducer producer;
  private final java.time.Duration shutdownTimeout;
  private final HttpPoller poller;
  private final PollScheduler scheduler;
  private final SseSupervisor streams;
  private final Jobs jobs;
  private final RegistrationConsumer registrations;
  private final WebhookNotifier notifier;
  private final Thread consumerThread;

  private IngestService(IngestConfig config, SecretResolver secrets) {
    AddressGuard guard = AddressGuard.allowing(config.allowHosts());
    this.producer = new RawEventProducer(config.bootstrapServers(), config.kafka(), config.outageBufferBytes());
    this.shutdownTimeout = config.shutdownTimeout();
    this.poller = new HttpPoller(config, guard, secrets, Clock.systemUTC());
    this.scheduler = new PollScheduler(config, poller, producer);
    this.streams = new SseSupervisor(config, poller.client(), guard, secrets, producer);
    this.jobs = new Jobs(scheduler, streams);
    this.registrations = new RegistrationConsumer(config, jobs);
    this.notifier = config.notifyEnabled()
        ? new WebhookNotifier(config.bootstrapServers(), config.kafka(), poller.client(), guard, config.notifySecret(),
            config.notifyMaxAttempts(), config.notifyBackoff(), 256)
        : null;
    this.consumerThread = Thread.ofPlatform().name("seismo-ingest-registrations").unstarted(registrations);
  }

  public static IngestService start(IngestConfig config) {
    return start(config, SecretResolver.fromSystemEnvironment(config.secretNames()));
  }

  public static IngestService start(IngestConfig config, SecretResolver secrets) {
    IngestService service = new IngestService(config, secrets);
    service.consumerThread.start();
    if (service.notifier != null) {
      service.notifier.start();
    }
    log.info("ingest started bootstrap={} group={} allowHosts={} secretEnvAllow={}", config.bootstrapServers(),
        config.groupId(), config.allowHosts(), config.secretNames().describe());
    return service;
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
    registrations.close();
    if (notifier != null) {
      notifier.close();
    }
    streams.close();
    scheduler.close();
    producer.close(shutdownTimeout);
    poller.close();
    log.info("ingest stopped sent={} failed={} droppedInOutage={}", producer.sent(), producer.failed(), producer.dropped());
  }
}
