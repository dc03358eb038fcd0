package io.seismo.ingest.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which alerts still wait for their deliveries, per partition, and so which offsets can be committed. */
final class AlertOffsets {

  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

  private final Map<TopicPartition, Partition> pending = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  /** Notes that the alert at {@code offset} was read; it counts as ended unless awaited. */
  Partition seen(TopicPartition partition, long offset) {
    Partition tracker = pending.computeIfAbsent(partition, p -> new Partition());
    tracker.next = offset + 1;
    return tracker;
  }

  /** Commits, per partition, the offset before which every alert's deliveries have ended. */
  void commitEnded(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (TopicPartition partition : partitions) {
      Partition tracker = pending.get(partition);
      long offset = tracker == null ? -1 : tracker.committable();
      if (offset >= 0 && offset > committed.getOrDefault(partition, -1L)) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    }
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets, Duration.ofSeconds(5));
      offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }
  }

  /** How many alerts wait for their deliveries. */
  int outstanding() {
    return pending.values().stream().mapToInt(p -> p.offsets.size()).sum();
  }

  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(partition -> {
      pending.remove(partition);
      committed.remove(partition);
    });
  }

  /** Commits what has ended before partitions go, forgets them when gone, and runs {@code onAssigned} on new ones. */
  ConsumerRebalanceListener rebalance(Consumer<?, ?> consumer, Runnable onAssigned) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        try {
          commitEnded(consumer, partitions);
        } catch (RuntimeException e) {
          log.warn("commit at rebalance failed error={}", e.toString());
        }
        forget(partitions);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        onAssigned.run();
      }
    };
  }

  /** The alerts of one partition whose deliveries have not all ended, and the offset after the last one seen. */
  static final class Partition {
    private final ConcurrentSkipListMap<Long, AtomicInteger> offsets = new ConcurrentSkipListMap<>();
    private volatile long next = -1;

    /** Holds the alert at {@code offset} until the returned callback ran once per delivery. */
    Runnable await(long offset, int deliveries) {
      AtomicInteger remaining = new AtomicInteger(deliveries);
      offsets.put(offset, remaining);
      return () -> {
        if (remaining.decrementAndGet() == 0) {
          offsets.remove(offset);
        }
      };
    }

    void drop(long offset) {
      offsets.remove(offset);
    }

    private long committable() {
      Map.Entry<Long, AtomicInteger> first = offsets.firstEntry();
      return first != null ? first.getKey() : next;
    }
  }
}
