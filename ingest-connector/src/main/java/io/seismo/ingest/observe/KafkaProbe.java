package io.seismo.ingest.observe;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether Kafka answers: asks the cluster for its nodes every {@code interval} (an Admin call bounded by
 * the interval), so that readiness does not depend on traffic. Unreachable until the first answer.
 */
public final class KafkaProbe implements AutoCloseable {

  private final Admin admin;
  private final Duration interval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("seismo-ingest-kafka-probe").daemon().factory());
  private volatile boolean reachable;

  public KafkaProbe(String bootstrapServers, Properties overrides, Duration interval) {
    Properties props = new Properties();
    props.putAll(overrides);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "seismo-ingest-probe");
    this.admin = Admin.create(props);
    this.interval = interval;
    timer.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void probe() {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) interval.toMillis())).nodes()
          .get(interval.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      reachable = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      reachable = false;
    }
  }

  public boolean reachable() {
    return reachable;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
