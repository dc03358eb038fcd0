package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.Change;
import io.seismo.schemas.Source;
import io.seismo.schemas.serde.RecordFormat;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.SharedKafkaBroker;
import java.io.File;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Each form of the analysis topics read by a client Seismo did not write, on a real broker, from values
 * written by Seismo's own serializers: the JSON form ({@code SEISMO_OUTPUT_FORMAT=json}) with Debian's
 * {@code kcat} piped into {@code jq}; the default Avro single-object form with Node — {@code kafkajs}
 * consumes, {@code avsc} decodes with the {@code .avsc} files taken from the schemas jar, and the script
 * checks the CRC-64-AVRO fingerprint itself. Each part is skipped, saying so, where its tool is missing.
 */
class TopicFormatsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-12-02T21:00:00.123Z");

  private static Change change(int i) {
    return Change.newBuilder().setApiId("weather-" + i).setSource(Source.POLL).setAt(AT.plusSeconds(i)).setSequence(i)
        .setPatch("[{\"op\":\"replace\",\"path\":\"/t\",\"value\":" + i + "}]").setOpCount(1).setPatchBytes(40)
        .setDocumentBytes(100).setPreviousHash(i == 1 ? null : "h" + (i - 1)).setNewHash("h" + i).build();
  }

  private static ApiMetrics metrics() {
    return ApiMetrics.newBuilder().setApiId("weather-1").setWindow("1m").setWindowStart(60_000).setWindowEnd(120_000)
        .setSamples(3).setErrorsByCategory(new HashMap<>(Map.of("TIMEOUT", 1L)))
        .setLatencySketch(ByteBuffer.wrap(new byte[] {2, 1})).setLatencyP50Ms(12.5).setLatencyP95Ms(30.0).setLatencyP99Ms(31.0).build();
  }

  private static String topic(String form) throws Exception {
    String name = "formats-" + form + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafkaBroker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
    return name;
  }

  private static void produce(String topic, List<Map.Entry<String, byte[]>> records) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, byte[]> record : records) {
        producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())).get(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldBeReadableWithKcatAndJqWhenTheFormatIsJson() throws Exception {
    assumeTrue(onPath("kcat") && onPath("jq"), "kcat or jq is not installed (apt-get install kcat jq): skipped");
    String topic = topic("json");
    var changes = RecordFormat.JSON.serializer(Topics.CHANGES);
    var metrics = RecordFormat.JSON.serializer(Topics.METRICS);
    produce(topic, List.of(Map.entry("weather-1", changes.serialize(topic, change(1))),
        Map.entry("weather-2", changes.serialize(topic, change(2))),
        Map.entry("weather-1@1m@60000", metrics.serialize(topic, metrics()))));

    String out = run("bash", "-c", "kcat -b " + SharedKafkaBroker.bootstrapServers() + " -C -t " + topic
        + " -o beginning -c 3 -e -q -f '%s\\n' | jq -c '{apiId, at, patch, previousHash, p50: .latencyP50Ms, timeouts: .errorsByCategory.TIMEOUT}'");

    List<String> lines = out.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(JSON.readTree(lines.get(0))).isEqualTo(JSON.readTree(
        "{\"apiId\":\"weather-1\",\"at\":1796245201123,\"patch\":\"[{\\\"op\\\":\\\"replace\\\",\\\"path\\\":\\\"/t\\\",\\\"value\\\":1}]\","
            + "\"previousHash\":null,\"p50\":null,\"timeouts\":null}"));
    assertThat(JSON.readTree(lines.get(1)).path("previousHash").asText()).isEqualTo("h1");
    assertThat(JSON.readTree(lines.get(2)).path("p50").asDouble()).isEqualTo(12.5);
    assertThat(JSON.readTree(lines.get(2)).path("timeouts").asLong()).isEqualTo(1);
  }

  @Test
  void shouldBeReadableWithNodeAvscWhenTheFormatIsAvroSingleObject() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node/npm are not installed: skipped");
    Path work = Path.of("target", "node-avro-reader");
    Files.createDirectories(work);
    for (String file : List.of("package.json", "read.js")) {
      Files.copy(Path.of("src", "test", "node", "avro-reader", file), work.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Path avsc = Files.createDirectories(work.resolve("avsc"));
    for (String file : List.of("common.avsc", "Change.avsc", "ApiMetrics.avsc")) {
      try (InputStream in = Change.class.getResourceAsStream("/io/seismo/schemas/avro/" + file)) {
        assertThat(in).as(file + " in the schemas jar").isNotNull();
        Files.copy(in, avsc.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!Files.isDirectory(work.resolve("node_modules").resolve("avsc"))) {
      run(work, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
    }
    String changes = topic("avro-changes");
    produce(changes, List.of(Map.entry("weather-1", Topics.CHANGES.valueSerde().serializer().serialize(changes, change(1))),
        Map.entry("weather-2", Topics.CHANGES.valueSerde().serializer().serialize(changes, change(2)))));
    String metrics = topic("avro-metrics");
    produce(metrics, List.of(Map.entry("weather-1@1m@60000", Topics.METRICS.valueSerde().serializer().serialize(metrics, metrics()))));

    List<String> changeLines = run(work, "node", "read.js", SharedKafkaBroker.bootstrapServers(), changes, "avsc", "Change", "2")
        .lines().toList();
    assertThat(changeLines).hasSize(2);
    JsonNode first = JSON.readTree(changeLines.get(0)).path("value");
    assertThat(first.path("apiId").asText()).isEqualTo("weather-1");
    assertThat(first.path("at").asLong()).isEqualTo(AT.plusSeconds(1).toEpochMilli());
    assertThat(first.path("source").asText()).isEqualTo("POLL");
    assertThat(first.path("previousHash").isNull()).isTrue();
    assertThat(unwrap(JSON.readTree(changeLines.get(1)).path("value").path("previousHash")).asText()).isEqualTo("h1");

    JsonNode m = JSON.readTree(run(work, "node", "read.js", SharedKafkaBroker.bootstrapServers(), metrics, "avsc", "ApiMetrics", "1")
        .strip()).path("value");
    assertThat(unwrap(m.path("latencyP50Ms")).asDouble()).isEqualTo(12.5);
    assertThat(m.path("errorsByCategory").path("TIMEOUT").asLong()).isEqualTo(1);
  }

  /** A union value as avsc prints it: plain, or wrapped as {"string": ...} depending on its wrapUnions option. */
  private static JsonNode unwrap(JsonNode node) {
    return node.isObject() && node.size() == 1 ? node.elements().next() : node;
  }

  private static boolean onPath(String tool) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  private static String run(String... command) throws Exception {
    return run(Path.of("."), command);
  }

  private static String run(Path dir, String... command) throws Exception {
    Path log = Files.createTempFile("seismo-tool", ".err");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectError(log.toFile()).start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
      assertThat(process.exitValue()).as(String.join(" ", command) + ": " + Files.readString(log)).isZero();
      return out;
    } finally {
      process.destroyForcibly();
    }
  }
}
