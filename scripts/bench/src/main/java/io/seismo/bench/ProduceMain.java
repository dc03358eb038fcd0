package io.seismo.bench;

import io.seismo.ingest.produce.RawEventProducer;
import io.seismo.schemas.PollResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Seismo's side of the produce-stage peer, run in its own JVM as Kafka's ProducerPerformance is: sends
 * {@code records} PollResults whose bodies are picked at random from the payload file (one JSON
 * document a line, as ProducerPerformance's {@code --payload-file}) through {@link RawEventProducer}
 * (the ingest's producer path: Avro single-object encoding, outage buffer, sender thread, idempotent
 * producer, acks=all, zstd), then closes it (every record acknowledged) and prints the steady-state
 * total in ProducerPerformance's words. Timed like ProducerPerformance's {@code --warmup-records}: the
 * first {@code warmupRecords} are not counted, the clock runs from the first counted send to after
 * close. It does not outrun the outage buffer (it waits while more than 16 MB are pending); a dropped
 * or failed record exits non-zero.
 * Usage: {@code ProduceMain <bootstrap> <records> <payloadFile> <warmupRecords>}.
 */
public final class ProduceMain {

  private ProduceMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int records = Integer.parseInt(args[1]);
    int warmupRecords = Integer.parseInt(args[3]);
    List<byte[]> payloads = Files.readAllLines(Path.of(args[2])).stream().filter(line -> !line.isEmpty())
        .map(line -> line.getBytes(StandardCharsets.UTF_8)).toList();
    Random random = new Random(); // as ProducerPerformance picks its payloads
    RawEventProducer producer = new RawEventProducer(bootstrap, new Properties(), 64L << 20);
    long start = System.currentTimeMillis();
    Instant requestedAt = Instant.now();
    for (int i = 0; i < records; i++) {
      if (i == warmupRecords) {
        start = System.currentTimeMillis();
      }
      byte[] body = payloads.get(random.nextInt(payloads.size()));
      String apiId = "api-" + (i % 100);
      producer.send(PollResult.newBuilder().setApiId(apiId).setSequence(i).setRequestedAt(requestedAt.plusMillis(i))
          .setLatencyMs(12).setHttpStatus(200).setHeaderBytes(250).setWireBodyBytes(body.length)
          .setBodyBytes(body.length).setContentType("application/json").setBody(ByteBuffer.wrap(body)).build());
      while (producer.pendingBytes() > 16L << 20) {
        TimeUnit.MICROSECONDS.sleep(200);
      }
    }
    producer.close();
    long elapsed = System.currentTimeMillis() - start;
    if (producer.sent() != records || producer.dropped() > 0 || producer.failed() > 0) {
      System.out.printf(Locale.ROOT, "ERROR sent=%d dropped=%d failed=%d of %d%n", producer.sent(), producer.dropped(),
          producer.failed(), records);
      System.exit(2);
    }
    int counted = records - warmupRecords;
    System.out.printf(Locale.ROOT, "%d steady state records sent, %.1f records/sec%n", counted, 1000.0 * counted / elapsed);
    System.exit(0);
  }
}
