package io.seismo.api.route;

import io.javalin.http.Context;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** Liveness (the process answers) and readiness (Kafka Streams is RUNNING, so queries can be answered). */
public final class HealthHandlers {

  private final KafkaStreams streams;

  public HealthHandlers(KafkaStreams streams) {
    this.streams = streams;
  }

  public void live(Context ctx) {
    ctx.json(Map.of("status", "UP"));
  }

  public void ready(Context ctx) {
    KafkaStreams.State state = streams.state();
    boolean ready = state == KafkaStreams.State.RUNNING;
    ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "UP" : "DOWN", "streams", state.name()));
  }
}
