package io.seismo.ingest.notify;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs webhook deliveries independently per receiver, each with a bounded queue and at most one delivery in
 * flight, so a slow receiver holds up only its own queue and {@link #submit} never blocks; see docs/architecture.md.
 */
final class WebhookDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** One delivery of one alert to one endpoint; {@code done} runs when it has ended. */
  record Job(DeliveryLog.Entry entry, String body, Runnable done) {}

  /** What runs a delivery: {@link WebhookDelivery#deliver} in production. */
  interface Sender {
    WebhookDelivery.Outcome send(String url, String webhookId, String body) throws InterruptedException;
  }

  private final Sender sender;
  private final DeliveryLog deliveries;
  private final int queueCapacity;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("seismo-webhook-", 0).factory());
  private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  WebhookDispatcher(Sender sender, DeliveryLog deliveries, int queueCapacity) {
    this.sender = sender;
    this.deliveries = deliveries;
    this.queueCapacity = queueCapacity;
  }

  /** Queues the job on its receiver and returns at once. */
  void submit(Job job) {
    DeliveryLog.Entry entry = job.entry();
    if (deliveries.isGone(entry.apiId(), entry.url(), entry.registrationVersion())) {
      finish(job, new WebhookDelivery.Outcome(WebhookDelivery.Result.SKIPPED, 0, 410,
          "not sent: the endpoint answered 410 Gone"));
      return;
    }
    boolean[] queued = new boolean[1];
    Receiver receiver = receivers.compute(entry.url(), (url, current) -> { // atomic with a drained receiver's removal
      Receiver target = current != null ? current : new Receiver(url);
      queued[0] = target.queue.offer(job);
      return target;
    });
    if (!queued[0]) {
      finish(job, new WebhookDelivery.Outcome(WebhookDelivery.Result.DROPPED, 0, 0,
          "not sent: " + queueCapacity + " deliveries already waiting for this endpoint"));
      return;
    }
    receiver.kick();
  }

  long delivered() {
    return delivered.get();
  }

  long failed() {
    return failed.get();
  }

  /** The endpoints with a queue now (for tests). */
  int receivers() {
    return receivers.size();
  }

  private void run(Job job) {
    try (MDC.MDCCloseable context = MDC.putCloseable("apiId", job.entry().apiId())) { // a separate field in JSON logs
      deliver(job);
    }
  }

  private void deliver(Job job) {
    DeliveryLog.Entry entry = job.entry();
    WebhookDelivery.Outcome outcome;
    try {
      outcome = deliveries.isGone(entry.apiId(), entry.url(), entry.registrationVersion())
          ? new WebhookDelivery.Outcome(WebhookDelivery.Result.SKIPPED, 0, 410, "not sent: the endpoint answered 410 Gone")
          : sender.send(entry.url(), entry.webhookId(), job.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.info("webhook delivery interrupted by shutdown apiId={} host={} (its alert is not committed: sent again "
          + "after a restart)", entry.apiId(), DeliveryLog.host(entry.url()));
      return; // not done: the notifier stops, the alert's offset stays uncommitted
    } catch (RuntimeException | Error e) {
      log.error("webhook delivery failed unexpectedly apiId={} host={} error={}", entry.apiId(),
          DeliveryLog.host(entry.url()), e.getClass().getName(), e);
      outcome = new WebhookDelivery.Outcome(WebhookDelivery.Result.DROPPED, 0, 0,
          "not sent: internal error " + e.getClass().getSimpleName());
    }
    finish(job, outcome);
  }

  private void finish(Job job, WebhookDelivery.Outcome outcome) {
    DeliveryLog.Entry entry = job.entry();
    try {
      if (outcome.delivered()) {
        delivered.incrementAndGet();
      } else if (outcome.result() != WebhookDelivery.Result.SKIPPED) {
        failed.incrementAndGet();
        log.warn("webhook not delivered apiId={} host={} outcome={} attempts={} error={}", entry.apiId(),
            DeliveryLog.host(entry.url()), outcome.result(), outcome.attempts(), outcome.lastError());
      }
      deliveries.record(entry, outcome);
    } catch (RuntimeException e) {
      log.error("delivery result not recorded apiId={} error={}", entry.apiId(), e.toString());
    } finally {
      job.done().run();
    }
  }

  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One endpoint: its queue and whether a virtual thread is draining it. Forgotten once drained, so that
   * endpoints no registration names any more do not stay in memory.
   */
  private final class Receiver {
    final String url;
    final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(queueCapacity);
    final AtomicBoolean draining = new AtomicBoolean();

    Receiver(String url) {
      this.url = url;
    }

    void kick() {
      if (closed || queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
      try {
        workers.execute(this::drain);
      } catch (RejectedExecutionException stopping) {
        draining.set(false);
      }
    }

    void drain() {
      try {
        Job job;
        while (!closed && (job = queue.poll()) != null) {
          run(job);
        }
      } finally {
        draining.set(false);
        kick(); // a job queued after the last poll and before the flag was cleared
        receivers.computeIfPresent(url, (key, current) ->
            current == this && queue.isEmpty() && !draining.get() ? null : current);
      }
    }
  }
}
