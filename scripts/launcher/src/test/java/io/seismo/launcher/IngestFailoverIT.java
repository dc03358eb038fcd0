package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.ingest.IngestService;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.config.Settings;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Two ingest instances share the APIs; when one stops, all its APIs resume on the other. Every API's
 * raw polls stay in strictly increasing sequence order, which they could not if two jobs had polled
 * the same API at the same time (each job starts its sequence at its own start time).
 */
class IngestFailoverIT {

  private final SeismoStack stack = TestStack.stack();
  private final DemoUpstream upstream = TestStack.upstream();
  private final RestClient rest = new RestClient(stack.apiUrl());

  @Test
  void shouldMoveApisToTheSurvivorWithoutLosingOrDoublingAny() {
    await().atMost(Duration.ofSeconds(60)).until(() -> rest.get("/health/ready").status() == 200);
    IngestConfig config = IngestConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers(),
        "SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8", "SEISMO_INGEST_HTTP_PORT", "0")));
    List<String> apiIds = TestStack.apiIdsOnEveryPartition("failover-", 2);
    IngestService second = IngestService.start(config);
    try {
      for (String apiId : apiIds) {
        upstream.put("/" + apiId, "{\"api\":\"" + apiId + "\"}");
        assertThat(rest.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId + "\",\"url\":\""
            + upstream.url("/" + apiId) + "\",\"pollIntervalMs\":1000}").status()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        Set<String> first = stack.ingest().runningApis();
        Set<String> other = second.runningApis();
        Set<String> both = new HashSet<>(first);
        both.retainAll(other);
        return both.isEmpty() && union(first, other).containsAll(apiIds) && apiIds.stream().anyMatch(other::contains);
      });
    } finally {
      second.close();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> stack.ingest().runningApis().containsAll(apiIds));
    Map<String, Long> samples = new HashMap<>();
    apiIds.forEach(apiId -> samples.put(apiId, rest.get("/apis/" + apiId + "/status").json().path("samples").asLong()));
    await().atMost(Duration.ofSeconds(20)).until(() -> apiIds.stream().allMatch(apiId ->
        rest.get("/apis/" + apiId + "/status").json().path("samples").asLong() >= samples.get(apiId) + 2));

    Map<String, List<Long>> sequences = rawSequences(apiIds);
    for (String apiId : apiIds) {
      assertThat(sequences.get(apiId)).as(apiId).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Sequences of the raw polls of {@code apiIds}, in log order, read up to the current end of the topic. */
  private static Map<String, List<Long>> rawSequences(List<String> apiIds) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    Map<String, List<Long>> sequences = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RAW_POLLS.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
          if (apiIds.contains(record.key())) {
            PollResult poll = Topics.RAW_POLLS.valueSerde().deserializer().deserialize(record.topic(), record.value());
            sequences.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(poll.getSequence());
          }
        }
      }
    }
    return sequences;
  }
}
