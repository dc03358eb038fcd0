package io.seismo.ingest.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.PollResult;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** With Kafka unreachable, jobs are not held up and the buffer stays within its bound. */
class RawEventProducerTest {

  @Test
  void shouldNeitherBlockNorGrowBeyondItsBoundWhenKafkaIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // nothing listens there once closed
    }
    Properties overrides = new Properties();
    overrides.put("max.block.ms", "200");
    RawEventProducer producer = new RawEventProducer("localhost:" + closedPort, overrides, 1024 * 1024);
    try {
      byte[] body = new byte[100 * 1024];
      long started = System.nanoTime();
      for (int i = 0; i < 50; i++) {
        producer.send(PollResult.newBuilder().setApiId("api-" + i).setSequence(i).setRequestedAt(Instant.now()).setLatencyMs(1).setHttpStatus(200)
            .setBody(ByteBuffer.wrap(body)).build());
      }
      Duration spent = Duration.ofNanos(System.nanoTime() - started);

      assertThat(spent).as("50 sends while Kafka is down").isLessThan(Duration.ofSeconds(2));
      assertThat(producer.pendingCount()).isBetween(8, 10); // ~1 MiB of ~100 KiB records
      assertThat(producer.dropped()).isEqualTo(50 - producer.pendingCount());
      assertThat(producer.sent()).isZero();
    } finally {
      producer.close(Duration.ofMillis(300));
    }
    assertThat(producer.failed()).as("what was still buffered at close").isBetween(8L, 10L);
  }
}
