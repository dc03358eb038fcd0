package io.seismo.topology.replay;

import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.TopologyService;
import io.seismo.topology.config.TopologyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-analyses raw history under a new application id, from {@code from} to {@code to}, into
 * {@code <applicationId>.seismo.*} copies of the output topics, so live outputs are never touched.
 */
public final class Replay {

  private static final Logger log = LoggerFactory.getLogger(Replay.class);
  private static final List<TopicSpec<?, ?>> OUTPUTS = List.of(Topics.STATUS, Topics.CHANGES, Topics.METRICS, Topics.FIELD_CHANGES, Topics.ALERTS);
  private static final List<String> RAW = List.of(Topics.RAW_POLLS.name(), Topics.RAW_SSE.name());

  private Replay() {}

  /** What to replay. */
  public record Request(String applicationId, Instant from, Optional<Instant> to, Path stateDir, int partitions) {}

  /** What a replay did: {@code rawRecords} raw polls and {@code rawEvents} SSE events in the replayed offsets. */
  public record Result(String applicationId, String outputPrefix, Map<String, Long> outputTopics, long rawRecords,
                       long rawEvents, Duration elapsed) {

    public String outputTopic(String liveTopic) {
      return outputPrefix + liveTopic;
    }
  }

  /**
   * How far a replay is, reported about four times a second while the topology runs: {@code done} of the
   * {@code total} raw records in the range (polls and SSE events) are analysed and committed.
   */
  public record Progress(long done, long total, Duration elapsed) {

    /** Raw records in the range not analysed yet. */
    public long lag() {
      return total - done;
    }

    public double recordsPerSecond() {
      return elapsed.isZero() ? 0 : done * 1000.0 / Math.max(1, elapsed.toMillis());
    }

    /** At the rate so far; empty until a record is done. */
    public Optional<Duration> eta() {
      double rate = recordsPerSecond();
      return rate <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (lag() / rate * 1000)));
    }
  }

  public static Result run(TopologyConfig base, Request request, Duration timeout) {
    return run(base, request, timeout, progress -> { });
  }

  /** As {@link #run(TopologyConfig, Request, Duration)}, telling {@code progress} how far it is while it runs. */
  public static Result run(TopologyConfig base, Request request, Duration timeout, Consumer<Progress> progress) {
    long started = System.nanoTime();
    String prefix = request.applicationId() + ".";
    Properties adminProps = new Properties();
    adminProps.putAll(base.kafka());
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, base.bootstrapServers());
    try (Admin admin = Admin.create(adminProps)) {
      new TopicInitializer(admin, request.partitions(), Optional.empty())
          .ensure(OUTPUTS.stream().<TopicSpec<?, ?>>map(spec -> spec.named(prefix + spec.name())).toList());
      // both raw topics from the first record at or after --from to the last at or before --to (or the end
      // now); registrations from the beginning (every API is known) to the end now
      Map<TopicPartition, Long> start = new HashMap<>();
      Map<TopicPartition, Long> target = new HashMap<>();
      for (String raw : RAW) {
        start.putAll(offsets(admin, raw, OffsetSpec.forTimestamp(request.from().toEpochMilli())));
        target.putAll(request.to()
            .map(to -> offsets(admin, raw, OffsetSpec.forTimestamp(to.toEpochMilli() + 1)))
            .orElseGet(() -> offsets(admin, raw, OffsetSpec.latest())));
      }
      start.putAll(offsets(admin, Topics.REGISTRATIONS.name(), OffsetSpec.earliest()));
      target.putAll(offsets(admin, Topics.REGISTRATIONS.name(), OffsetSpec.latest()));
      target.replaceAll((partition, end) -> Math.max(end, start.get(partition)));
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      start.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset, "seismo replay start")));
      admin.alterConsumerGroupOffsets(request.applicationId(), commits).all().get(30, TimeUnit.SECONDS);
      long rawPolls = records(start, target, Topics.RAW_POLLS.name());
      long rawEvents = records(start, target, Topics.RAW_SSE.name());
      log.info("replay starting applicationId={} from={} to={} rawPolls={} rawSseEvents={} outputPrefix={}",
          request.applicationId(), request.from(), request.to().map(Instant::toString).orElse("end"), rawPolls,
          rawEvents, prefix);

      TopologyConfig config = base.asReplay(request.applicationId(), request.stateDir(),
          new TopologyConfig.Replay(prefix, Optional.of(request.from()), request.to(), target, currentRegistrations(base)));
      try (TopologyService topology = TopologyService.start(config)) {
        awaitCaughtUp(admin, request.applicationId(), start, target, timeout, started, rawPolls + rawEvents, progress);
      }
      Map<String, Long> outputs = new HashMap<>();
      for (TopicSpec<?, ?> spec : OUTPUTS) {
        String name = prefix + spec.name();
        outputs.put(name, offsets(admin, name, OffsetSpec.latest()).values().stream().mapToLong(Long::longValue).sum());
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      log.info("replay finished applicationId={} rawPolls={} rawSseEvents={} elapsedMs={}", request.applicationId(),
          rawPolls, rawEvents, elapsed.toMillis());
      return new Result(request.applicationId(), prefix, outputs, rawPolls, rawEvents, elapsed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplayException("replay interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ReplayException("replay failed: " + e.getMessage(), e);
    }
  }

  /**
   * Every registration as it is now (the compacted control topic read to its end): the replay applies
   * their change rules to the whole range, so history is re-analysed with today's rules.
   */
  private static Map<String, Registration> currentRegistrations(TopologyConfig base)
      throws InterruptedException {
    try (RegistrationTable table = new RegistrationTable(
        base.bootstrapServers(), base.kafka(), "seismo-replay-rules").start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!table.loaded()) {
        if (System.nanoTime() > deadline) {
          throw new ReplayException("the registrations did not load within 60 s", null);
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      Map<String, Registration> current = new HashMap<>();
      String after = null;
      for (List<Registration> page; !(page = table.page(after, 500, null)).isEmpty(); ) {
        page.forEach(registration -> current.put(registration.getApiId(), registration));
        after = page.getLast().getApiId();
      }
      return current;
    }
  }

  /** Records of {@code topic} between the start and target offsets (those in the range, and any stamped outside it). */
  private static long records(Map<TopicPartition, Long> start, Map<TopicPartition, Long> target, String topic) {
    return target.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
        .mapToLong(e -> Math.max(0, e.getValue() - start.get(e.getKey()))).sum();
  }

  private static void awaitCaughtUp(Admin admin, String group, Map<TopicPartition, Long> start,
      Map<TopicPartition, Long> target, Duration timeout, long startedNanos, long total, Consumer<Progress> progress)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      boolean done = target.entrySet().stream().allMatch(e -> {
        OffsetAndMetadata offset = committed.get(e.getKey());
        return offset != null && offset.offset() >= e.getValue();
      });
      long analysed = target.entrySet().stream().filter(e -> RAW.contains(e.getKey().topic())).mapToLong(e -> {
        OffsetAndMetadata offset = committed.get(e.getKey());
        long position = offset == null ? start.get(e.getKey()) : Math.min(offset.offset(), e.getValue());
        return Math.max(0, position - start.get(e.getKey()));
      }).sum();
      progress.accept(new Progress(analysed, total, Duration.ofNanos(System.nanoTime() - startedNanos)));
      if (done) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new ReplayException("replay did not catch up within " + timeout + "; committed " + committed
            + " target " + target, null);
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }

  private static Map<TopicPartition, Long> offsets(Admin admin, String topic, OffsetSpec spec) {
    try {
      List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic).partitions().stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions.forEach(partition -> request.put(partition, spec));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
          admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> result = new HashMap<>();
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = null;
      for (TopicPartition partition : partitions) {
        long offset = found.get(partition).offset();
        if (offset < 0) { // no record at or after the timestamp: start at the end
          if (ends == null) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
          }
          offset = ends.get(partition).offset();
        }
        result.put(partition, offset);
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplayException("interrupted while reading offsets of " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ReplayException("cannot read offsets of " + topic + ": " + e.getMessage(), e);
    }
  }

  /** A replay could not be set up or did not finish. */
  public static final class ReplayException extends RuntimeException {
    public ReplayException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
