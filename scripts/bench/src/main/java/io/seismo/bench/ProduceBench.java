package io.seismo.bench;

import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.topic.Topics;
import io.seismo.testsupport.EmbeddedKafkaBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The produce stage against Kafka's own {@code kafka-producer-perf-test} ({@code ProducerPerformance}
 * from kafka-tools): both in a JVM of their own against the same broker, sending the same 2 KB JSON
 * documents (its {@code --payload-file}) unthrottled with the same producer settings as Seismo's
 * raw-event producer (acks=all, idempotent, zstd, linger.ms 5, batch.size 64 KB), to a topic with the
 * raw-polls topic's configs and partitions. Rounds alternate which goes first.
 */
final class ProduceBench {

  /** ProducerPerformance's summary of the records after its warm-up, which ProduceMain prints in the same words. */
  private static final Pattern STEADY = Pattern.compile("(\\d+) steady state records sent, ([0-9.]+) records/sec");
  private static final String PEER_TOPIC = "bench.producer-perf";
  private final int records;
  /** Records each JVM sends first, not counted (JIT, class loading, connections): Kafka's --warmup-records. */
  private final int warmupRecords;
  private final int warmups;
  private final int rounds;

  ProduceBench(boolean quick) {
    this.records = quick ? 100_000 : 1_000_000;
    this.warmupRecords = quick ? 20_000 : 300_000;
    this.warmups = quick ? 0 : 1;
    this.rounds = quick ? 1 : 3;
  }

  List<Row> run() throws Exception {
    Path payloads = Files.createTempFile("bench-payloads", ".txt");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      StringBuilder lines = new StringBuilder();
      for (int seed = 0; seed < 100; seed++) {
        lines.append(Documents.catalogue(2_000, seed, seed)).append('\n');
      }
      Files.writeString(payloads, lines);
      Properties adminProps = new Properties();
      adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(adminProps)) {
        new TopicInitializer(admin, 2, Optional.empty()).ensure(List.of(Topics.RAW_POLLS));
        admin.createTopics(List.of(new NewTopic(PEER_TOPIC, 2, (short) 1).configs(Topics.RAW_POLLS.configs())))
            .all().get(30, TimeUnit.SECONDS);
      }
      String bootstrap = broker.bootstrapServers();
      List<Row.Round> measured = Rounds.alternate("produce", warmups, rounds,
          () -> child("Seismo", ProduceMain.class.getName(), bootstrap, Integer.toString(warmupRecords + records),
              payloads.toString(), Integer.toString(warmupRecords)),
          () -> child("ProducerPerformance", "org.apache.kafka.tools.ProducerPerformance", "--topic", PEER_TOPIC,
              "--num-records", Integer.toString(warmupRecords + records), "--warmup-records", Integer.toString(warmupRecords),
              "--throughput", "-1", "--payload-file", payloads.toString(),
              "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true",
              "compression.type=zstd", "linger.ms=5", "batch.size=65536", "max.request.size=8388608"));
      return List.of(Rounds.higher("produce stage vs kafka-producer-perf-test", "records/s", measured, 0.9,
              records + " records of 2 KB JSON (100 documents, picked at random) after " + warmupRecords
                  + " warm-up records in the same JVM (ProducerPerformance's --warmup-records: steady state, from the "
                  + "first counted send to the last ack), unthrottled, each side in its own JVM (-Xmx512m), broker in the "
                  + "bench JVM; "
                  + (warmups > 0 ? "median of " + rounds + " rounds after a warm-up round" : "no warm-up (--quick)")
                  + "; ratios of the rounds " + Rounds.ratios(measured))
          .sides("Seismo: RawEventProducer.send(PollResult) — Avro single-object encoding, outage buffer, sender thread — "
              + "keyed by apiId; baseline: Kafka's ProducerPerformance with --payload-file (the same documents as raw "
              + "values, no key); both acks=all, idempotent, zstd, linger.ms 5, batch.size 64 KB; time to the last ack"));
    } finally {
      Files.deleteIfExists(payloads);
    }
  }

  /** Runs a producer in a JVM of its own and returns the records/s it printed. */
  private static double child(String name, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseParallelGC", "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", "")));
    String profiles = System.getenv("SEISMO_BENCH_JFR_DIR"); // a JFR profile of each child run, for a look at where it spends
    if (profiles != null && !profiles.isBlank()) {
      command.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(profiles, name + "-" + System.nanoTime() + ".jfr"));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String steady = null;
      StringBuilder output = new StringBuilder();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          output.append(line).append('\n');
          if (STEADY.matcher(line).find()) {
            steady = line;
          }
        }
      }
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || steady == null) {
        throw new IllegalStateException(name + " failed (exit " + (process.isAlive() ? "-" : process.exitValue())
            + "): " + output.toString().lines().filter(l -> !l.startsWith("WARNING")).limit(20).toList());
      }
      Matcher matcher = STEADY.matcher(steady);
      if (!matcher.find()) {
        throw new IllegalStateException(name + ": no steady-state total in " + steady);
      }
      return Double.parseDouble(matcher.group(2));
    } finally {
      process.destroyForcibly();
    }
  }
}
