package io.seismo.schemas.topic;

import io.seismo.schemas.Alert;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.FieldFrequency;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Seismo topic, with its serdes and configs, in one place. Every record is partitioned by its
 * apiId — the whole key, or for {@link #METRICS} the apiId the key starts with — so one API's history
 * is ordered within one partition and every topic is co-partitioned with the others.
 */
public final class Topics {

  private static final Serde<String> KEY = Serdes.String();
  private static final String THIRTY_DAYS = Long.toString(Duration.ofDays(30).toMillis());
  private static final String NINETY_DAYS = Long.toString(Duration.ofDays(90).toMillis());

  public static final TopicSpec<String, Registration> REGISTRATIONS = new TopicSpec<>(
      "seismo.registrations", KEY, AvroSerde.of(Registration.class),
      Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.1"));

  public static final TopicSpec<String, PollResult> RAW_POLLS = new TopicSpec<>(
      "seismo.raw.polls", KEY, AvroSerde.of(PollResult.class),
      Map.of("cleanup.policy", "delete", "retention.ms", NINETY_DAYS, "max.message.bytes", "8388608",
          "compression.type", "producer"));

  public static final TopicSpec<String, SseEvent> RAW_SSE = new TopicSpec<>(
      "seismo.raw.sse", KEY, AvroSerde.of(SseEvent.class),
      Map.of("cleanup.policy", "delete", "retention.ms", NINETY_DAYS, "max.message.bytes", "8388608",
          "compression.type", "producer"));

  public static final TopicSpec<String, Change> CHANGES = new TopicSpec<>(
      "seismo.changes", KEY, AvroSerde.of(Change.class),
      Map.of("cleanup.policy", "delete", "retention.ms", THIRTY_DAYS, "max.message.bytes", "8388608"));

  /**
   * How long {@link #METRICS} keeps a window: as long as the topology's longest-lived window store
   * (the 1-day windows, 800 days) plus the day Kafka Streams adds to a window changelog's retention.
   */
  public static final Duration METRICS_RETENTION = Duration.ofDays(800 + 1);

  /**
   * Window aggregates keyed {@code apiId@window@start}: each window is a new key, so the topic is
   * compacted (a window's last value stays) and deleted after {@link #METRICS_RETENTION}, else it would
   * grow forever. Its records are partitioned by the apiId in the key, like every other topic.
   */
  public static final TopicSpec<String, ApiMetrics> METRICS = new TopicSpec<>(
      "seismo.metrics", KEY, AvroSerde.of(ApiMetrics.class),
      Map.of("cleanup.policy", "compact,delete", "retention.ms", Long.toString(METRICS_RETENTION.toMillis())));

  /**
   * Per-field change frequency per tumbling window, keyed {@code apiId@window@start} like
   * {@link #METRICS} (and partitioned by the apiId in the key): compacted, so a window's last value
   * stays, and deleted after {@link #METRICS_RETENTION}, as long as the topology keeps the windows.
   */
  public static final TopicSpec<String, FieldFrequency> FIELD_CHANGES = new TopicSpec<>(
      "seismo.field-changes", KEY, AvroSerde.of(FieldFrequency.class),
      Map.of("cleanup.policy", "compact,delete", "retention.ms", Long.toString(METRICS_RETENTION.toMillis())));

  public static final TopicSpec<String, ApiStatus> STATUS = new TopicSpec<>(
      "seismo.status", KEY, AvroSerde.of(ApiStatus.class),
      Map.of("cleanup.policy", "compact"));

  public static final TopicSpec<String, Alert> ALERTS = new TopicSpec<>(
      "seismo.alerts", KEY, AvroSerde.of(Alert.class),
      Map.of("cleanup.policy", "delete", "retention.ms", THIRTY_DAYS));

  /**
   * What became of each API's webhook deliveries, written by the ingest's notifier and read by the
   * control API ({@code GET /apis/{id}/deliveries}) and by the notifier itself (410 Gone endpoints stay
   * disabled across restarts). Key: apiId; value: one JSON document per API (its endpoints and recent
   * deliveries, see the runtime module's {@code DeliveryTable}), so compaction keeps one record per API.
   */
  public static final TopicSpec<String, String> DELIVERIES = new TopicSpec<>(
      "seismo.deliveries", KEY, Serdes.String(),
      Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.1"));

  /**
   * Records Kafka Streams could not decode or process: original key and value bytes, with the reason
   * in Kafka's standard dead-letter headers ({@code __streams.errors.*}).
   */
  public static final TopicSpec<byte[], byte[]> DLQ = new TopicSpec<>(
      "seismo.dlq", Serdes.ByteArray(), Serdes.ByteArray(),
      Map.of("cleanup.policy", "delete", "retention.ms", THIRTY_DAYS, "max.message.bytes", "8388608"));

  /**
   * What operators did with dead letters ({@code POST /dlq/...}): key {@code <dlq partition>@<dlq offset>},
   * value a JSON document {@code {"action":"REPROCESSED|DISCARDED","at","by","target":{"topic","partition","offset"}}}.
   * Compacted (one action per letter) and deleted with the letters it speaks of.
   */
  public static final TopicSpec<String, String> DLQ_ACTIONS = new TopicSpec<>(
      "seismo.dlq.actions", KEY, Serdes.String(),
      Map.of("cleanup.policy", "compact,delete", "retention.ms", THIRTY_DAYS));

  public static final List<TopicSpec<?, ?>> ALL =
      List.of(REGISTRATIONS, RAW_POLLS, RAW_SSE, CHANGES, METRICS, FIELD_CHANGES, STATUS, ALERTS, DELIVERIES, DLQ, DLQ_ACTIONS);

  private Topics() {}
}
