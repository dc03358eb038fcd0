package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The contract checks of /dlq and /system, run by {@link ApiContractIT} on its instance (tight rate limit,
 * read tokens): a record is dead-lettered for them first; the wait for it asks the shared stack, whose rate
 * limit is generous, so the contract instance's budgets are spent on the checks only.
 */
final class AdminContract {

  interface Check {
    void accept(String method, String template, HttpResponse<byte[]> answer);
  }

  interface Send {
    HttpResponse<byte[]> send(String method, String path, String token, String body);
  }

  private AdminContract() {}

  static void check(HttpClient http, String apiId, Check check, Send send, String write, String read)
      throws Exception {
    String key = apiId + "-dead";
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), key, "undecodable")).get();
    }
    RestClient stack = new RestClient(TestStack.stack().apiUrl());
    String[] id = new String[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      for (JsonNode item : stack.get("/dlq?state=open&limit=500").json().path("items")) {
        if (key.equals(item.path("key").asText())) {
          id[0] = item.path("id").asText();
        }
      }
      return id[0] != null;
    });
    String letter = "/dlq/" + id[0];

    check.accept("GET", "/dlq", send.send("GET", "/dlq?limit=5", read, null));
    check.accept("GET", "/dlq", send.send("GET", "/dlq?state=nope", read, null));
    check.accept("GET", "/dlq", send.send("GET", "/dlq", null, null));
    check.accept("GET", "/dlq/{id}", send.send("GET", letter, read, null));
    check.accept("GET", "/dlq/{id}", send.send("GET", "/dlq/x", read, null));
    check.accept("GET", "/dlq/{id}", send.send("GET", "/dlq/0-999999999", read, null));
    check.accept("POST", "/dlq/{id}/reprocess", send.send("POST", letter + "/reprocess", null, null));
    check.accept("POST", "/dlq/{id}/reprocess", send.send("POST", letter + "/reprocess", read, null));
    HttpResponse<byte[]> reprocessed = send.send("POST", letter + "/reprocess", write, null);
    assertThat(reprocessed.statusCode()).as(new String(reprocessed.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    check.accept("POST", "/dlq/{id}/reprocess", reprocessed);
    check.accept("POST", "/dlq/{id}/reprocess", send.send("POST", letter + "/reprocess", write, null)); // 409
    check.accept("POST", "/dlq/{id}/discard", send.send("POST", letter + "/discard", write, null)); // 409
    check.accept("POST", "/dlq/{id}/discard", send.send("POST", letter + "/discard", read, null));
    check.accept("POST", "/dlq/{id}/discard", send.send("POST", "/dlq/0-999999999/discard", write, null));
    // the re-sent record, still undecodable, is dead-lettered again: discard it by name
    String[] again = new String[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      for (JsonNode item : stack.get("/dlq?state=open&limit=500").json().path("items")) {
        if (key.equals(item.path("key").asText())) {
          again[0] = item.path("id").asText();
        }
      }
      return again[0] != null;
    });
    HttpResponse<byte[]> discarded = send.send("POST", "/dlq/" + again[0] + "/discard", write, null);
    assertThat(discarded.statusCode()).isEqualTo(200);
    check.accept("POST", "/dlq/{id}/discard", discarded);
    String named = "{\"ids\":[\"" + again[0] + "\"]}";
    check.accept("POST", "/dlq/reprocess", send.send("POST", "/dlq/reprocess", write, named)); // 200, count 0
    check.accept("POST", "/dlq/reprocess", send.send("POST", "/dlq/reprocess", write, "{\"ids\":1}"));
    check.accept("POST", "/dlq/reprocess", send.send("POST", "/dlq/reprocess", null, named));
    check.accept("POST", "/dlq/discard", send.send("POST", "/dlq/discard", write, named));
    check.accept("POST", "/dlq/discard", send.send("POST", "/dlq/discard", read, named));

    HttpResponse<byte[]> system = send.send("GET", "/system", read, null);
    assertThat(system.statusCode()).as(new String(system.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    check.accept("GET", "/system", system);
    check.accept("GET", "/system", send.send("GET", "/system?scope=local", read, null));
    check.accept("GET", "/system", send.send("GET", "/system?scope=x", read, null));
    check.accept("GET", "/system", send.send("GET", "/system", null, null));
  }
}
