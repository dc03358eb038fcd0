package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.testsupport.SharedKafkaBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Two control API instances racing on the same registration: the duplicate-apiId check and If-Match
 * hold across instances, not only within one.
 */
class TwoInstancesWriteRaceIT {

  private static final int RACERS = 16;

  @Test
  void shouldLetExactlyOneCreateAndOneConditionalPutWinAcrossTwoInstances() throws Exception {
    RestClient first = new RestClient(TestStack.stack().apiUrl());
    await().atMost(Duration.ofSeconds(60)).until(() -> first.get("/health/ready").status() == 200);
    ApiConfig config = ApiConfig.from(new Settings(Map.of(
        "SEISMO_BOOTSTRAP_SERVERS", SharedKafkaBroker.bootstrapServers(),
        "SEISMO_API_PORT", "0",
        "SEISMO_API_WRITE_TOKENS", TestStack.WRITE_TOKEN,
        "SEISMO_TOPOLOGY_STATE_DIR", Files.createTempDirectory("seismo-it-race").toString(),
        "SEISMO_TOPOLOGY_THREADS", "1",
        "SEISMO_API_RATE_LIMIT", "100000")));
    try (ControlApi second = ControlApi.start(config)) {
      RestClient other = new RestClient("http://localhost:" + second.port());
      await().atMost(Duration.ofSeconds(60)).until(() -> other.get("/health/ready").status() == 200
          && first.get("/health/ready").status() == 200);
      List<RestClient> instances = List.of(first, other);

      for (int round = 0; round < 3; round++) {
        String apiId = "race2-" + UUID.randomUUID().toString().substring(0, 8);
        List<Integer> creates = race(i -> instances.get(i % 2).post("/apis", TestStack.WRITE_TOKEN,
            "{\"apiId\":\"" + apiId + "\",\"url\":\"https://example.org/" + i + "\",\"desiredState\":\"STOPPED\"}").status());

        assertThat(creates.stream().filter(s -> s == 201).count()).as("201s of round " + round + ": " + creates).isEqualTo(1);
        assertThat(creates.stream().filter(s -> s == 409).count()).as("409s of round " + round).isEqualTo(RACERS - 1);

        String etag = first.get("/apis/" + apiId).header("ETag");
        List<Integer> puts = race(i -> instances.get(i % 2).send("PUT", "/apis/" + apiId, TestStack.WRITE_TOKEN,
            "{\"url\":\"https://example.org/put-" + i + "\",\"desiredState\":\"STOPPED\"}", etag).status());

        assertThat(puts.stream().filter(s -> s == 200).count()).as("200s of round " + round + ": " + puts).isEqualTo(1);
        assertThat(puts.stream().filter(s -> s == 412).count()).as("412s of round " + round).isEqualTo(RACERS - 1);
        assertThat(RegistrationRoundTripIT.written(apiId)).isEqualTo(2);
        assertThat(first.get("/apis/" + apiId).json().path("version").asLong()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> other.get("/apis/" + apiId).json().path("version").asLong() == 2);
      }
    }
  }

  /** Runs RACERS requests at once (after one start signal); their statuses. */
  private static List<Integer> race(Function<Integer, Integer> request) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < RACERS; i++) {
        int index = i;
        answers.add(pool.submit(() -> {
          go.await();
          return request.apply(index);
        }));
      }
      go.countDown();
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      statuses.add(answer.get());
    }
    return statuses;
  }
}
