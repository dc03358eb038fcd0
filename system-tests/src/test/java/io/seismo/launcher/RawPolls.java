package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.PollResult;
import io.seismo.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The committed raw polls of a broker, and the checks the crash tests make of them against a {@link RecordingUpstream}. */
final class RawPolls {

  private RawPolls() {}

  /** One raw poll: its API, sequence, and the request it was taken from ({@code apiId#n}, from its body). */
  record Poll(String apiId, long sequence, String request, String error) {}

  /** Every committed raw poll, read with a plain read_committed consumer up to the end of each partition. */
  static List<Poll> read(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<Poll> polls = new ArrayList<>();
    try (KafkaConsumer<String, PollResult> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        Topics.RAW_POLLS.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RAW_POLLS.name()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read the raw polls up to " + end + " within 30 s");
        }
        for (ConsumerRecord<String, PollResult> record : consumer.poll(Duration.ofMillis(200))) {
          PollResult poll = record.value();
          polls.add(new Poll(poll.getApiId(), poll.getSequence(), poll.getApiId() + "#" + RecordingUpstream.n(poll.getBody()),
              poll.getError() == null ? null : poll.getError().toString()));
        }
      }
    }
    return polls;
  }

  /**
   * The requests ({@code apiId#n}) of the answered polls on the topic, once asserted that no (apiId, sequence) and
   * no answered request is there twice, and that the upstream answered ({@code apiId#n}) every one of them.
   */
  static Set<String> assertDeliveredOnce(List<Poll> polls, Set<String> answered) {
    // a poll that got no answer (a connection the upstream dropped) is a sample too, but of no answered request
    List<Poll> answeredPolls = polls.stream().filter(p -> p.error() == null).toList();
    Set<String> delivered = answeredPolls.stream().map(Poll::request).collect(Collectors.toSet());
    assertThat(polls.stream().map(p -> p.apiId() + "@" + p.sequence()).distinct().count())
        .as("distinct (apiId, sequence) on the raw topic").isEqualTo(polls.size());
    assertThat(delivered.size()).as("distinct answered requests on the raw topic").isEqualTo(answeredPolls.size());
    assertThat(answered).as("polls on the topic that the upstream never answered").containsAll(delivered);
    return delivered;
  }

  /** How many of the polls got no answer. */
  static long failed(List<Poll> polls) {
    return polls.stream().filter(p -> p.error() != null).count();
  }
}
