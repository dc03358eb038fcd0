package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import io.seismo.topology.store.StoreNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.Test;

/**
 * Two control API instances (each with its topology instance) share the work: a request to either
 * one for any API (status, changes, logs) gets the same answer, the non-owner forwarding to the owner.
 */
class TwoInstancesIT {

  private final SeismoStack stack = TestStack.stack();

  @Test
  void shouldAnswerTheSameOnBothInstancesWhenKeysAreSplitBetweenThem() throws Exception {
    RestClient first = new RestClient(stack.apiUrl());
    await().atMost(Duration.ofSeconds(60)).until(() -> first.get("/health/ready").status() == 200);
    ApiConfig config = ApiConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers(),
        "SEISMO_API_PORT", "0",
        "SEISMO_API_WRITE_TOKENS", TestStack.WRITE_TOKEN,
        "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-it-second").toString(),
        "SEISMO_TOPOLOGY_THREADS", "1",
        "SEISMO_API_RATE_LIMIT", "20",
        "SEISMO_API_RATE_BURST", "20",
        "SEISMO_KAFKA_ACCEPTABLE_RECOVERY_LAG", "1000000000")));
    List<String> apiIds = TestStack.apiIdsOnEveryPartition("two-", 2);
    try (ControlApi second = ControlApi.start(config)) {
      RestClient other = new RestClient("http://localhost:" + second.port());
      for (String apiId : apiIds) {
        assertThat(first.post("/apis", TestStack.WRITE_TOKEN, "{\"apiId\":\"" + apiId
            + "\",\"url\":\"https://example.org/\",\"desiredState\":\"STOPPED\"}").status()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> other.get("/health/ready").status() == 200
          && first.get("/health/ready").status() == 200);

      for (String apiId : apiIds) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          RestClient.Answer a = first.get("/apis/" + apiId + "/status");
          RestClient.Answer b = other.get("/apis/" + apiId + "/status");
          return a.status() == 200 && b.status() == 200 && a.body().equals(b.body())
              && a.json().path("state").asText().equals("STOPPED");
        });
      }
      // the logs live in ring-keyed stores read by range on the owner: both instances answer the same
      producePolls(apiIds);
      for (String apiId : apiIds) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          RestClient.Answer a = first.get("/apis/" + apiId + "/changes");
          RestClient.Answer b = other.get("/apis/" + apiId + "/changes");
          return a.status() == 200 && b.status() == 200 && a.body().equals(b.body())
              && a.json().path("items").size() == 2;
        });
        RestClient.Answer changes = other.get("/apis/" + apiId + "/changes");
        assertThat(changes.json().path("items").get(0).path("patch").toString()).contains("\"value\":3");
        assertThat(changes.json().path("items").get(1).path("patch").toString()).contains("\"value\":2");
        RestClient.Answer logs = first.get("/apis/" + apiId + "/logs");
        assertThat(logs.body()).isEqualTo(other.get("/apis/" + apiId + "/logs").body());
        assertThat(logs.json().path("items").size()).isEqualTo(3);
      }
      // the second instance allows 20 requests per second per caller: a quick burst of 100 is cut off
      // sent at once (one after the other, a slow machine answers fewer than 20 a second and is never limited)
      List<RestClient.Answer> burst;
      try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<RestClient.Answer>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          futures.add(executor.submit(() -> other.get("/apis?limit=1")));
        }
        burst = new ArrayList<>();
        for (var future : futures) {
          burst.add(future.get());
        }
      }
      RestClient.Answer limited = burst.stream().filter(answer -> answer.status() == 429).findFirst()
          .orElse(burst.getLast());
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isNotNull();
      assertThat(limited.contentType()).startsWith("application/problem+json");
      long ownedBySecond = apiIds.stream().filter(apiId -> {
        KeyQueryMetadata owner = second.topology().streams()
            .queryMetadataForKey(StoreNames.STATUS, apiId, Serdes.String().serializer());
        return owner.activeHost().port() == second.port();
      }).count();
      assertThat(ownedBySecond).as("keys owned by the second instance").isBetween(2L, 4L);
    }
  }

  /** Three polls per API, each with another body: two changes. */
  private static void producePolls(List<String> apiIds) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    Instant base = Instant.now().minusSeconds(60);
    try (KafkaProducer<String, PollResult> producer = new KafkaProducer<>(props, new StringSerializer(),
        Topics.RAW_POLLS.valueSerde().serializer())) {
      for (String apiId : apiIds) {
        for (int i = 1; i <= 3; i++) {
          byte[] body = ("{\"value\":" + i + "}").getBytes(StandardCharsets.UTF_8);
          Instant at = base.plusSeconds(i);
          producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), null, at.toEpochMilli(), apiId,
              PollResult.newBuilder().setApiId(apiId).setSequence(i).setRequestedAt(at).setLatencyMs(5)
                  .setHttpStatus(200).setBodyBytes(body.length).setBody(ByteBuffer.wrap(body)).build()));
        }
      }
    }
  }
}
