package io.seismo.api.route;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.seismo.schemas.topic.Topics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** Liveness (the process answers) and readiness (Kafka Streams is RUNNING and Seismo's topics exist). */
public final class HealthHandlers {

  private static final long TOPIC_CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final KafkaStreams streams;
  private final Supplier<Set<String>> topicNames;
  private volatile boolean topicsPresent;
  private volatile long topicsCheckedAt = Long.MIN_VALUE;

  /**
   * @param topicNames lists the cluster's topics (an Admin call); asked at most every 10 s
   */
  public HealthHandlers(KafkaStreams streams, Supplier<Set<String>> topicNames) {
    this.streams = streams;
    this.topicNames = topicNames;
  }

  private boolean topicsPresent() {
    long now = System.nanoTime();
    if (!topicsPresent || now - topicsCheckedAt > TOPIC_CHECK_INTERVAL_NANOS) {
      try {
        Set<String> names = topicNames.get();
        topicsPresent = Topics.ALL.stream().allMatch(spec -> names.contains(spec.name()));
      } catch (RuntimeException e) {
        topicsPresent = false;
      }
      topicsCheckedAt = now;
    }
    return topicsPresent;
  }

  public void live(Context ctx) {
    ctx.json(Map.of("status", "UP"));
  }

  public void ready(Context ctx) {
    KafkaStreams.State state = streams.state();
    boolean topics = topicsPresent();
    boolean ready = state == KafkaStreams.State.RUNNING && topics;
    ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("status", ready ? "UP" : "DOWN", "streams", state.name(),
        "topics", topics ? "PRESENT" : "MISSING"));
  }
}
