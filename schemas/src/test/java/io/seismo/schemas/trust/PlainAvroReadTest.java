package io.seismo.schemas.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.HttpHeader;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.SampleError;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A downstream Java user reads and copies the contracts with Avro's own API, never loading Seismo's
 * {@code AvroSerde} and without setting {@code org.apache.avro.SERIALIZABLE_PACKAGES}. This class runs
 * in its own JVM (the schemas module forks one per test class and sets no Avro property), so nothing
 * has trusted the package before it.
 */
class PlainAvroReadTest {

  private static PollResult poll() {
    return PollResult.newBuilder()
        .setApiId("weather").setSequence(7).setRequestedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setLatencyMs(12).setHttpStatus(200)
        .setRequestHeaders(List.of(new HttpHeader("Accept", "application/json")))
        .setResponseHeaders(List.of(new HttpHeader("Content-Type", "application/json")))
        .setError(new SampleError(ErrorCategory.TIMEOUT, "read timed out"))
        .build();
  }

  @Test
  void avrosOwnSingleObjectDecoderReadsNestedRecords() throws Exception {
    assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();
    ByteBuffer bytes = poll().toByteBuffer();

    PollResult read = PollResult.fromByteBuffer(bytes);

    assertThat(read).isEqualTo(poll());
    assertThat(read.getResponseHeaders().get(0).getName()).isEqualTo("Content-Type");
  }

  @Test
  void builderCopiesNestedRecords() {
    PollResult copy = PollResult.newBuilder(poll()).build();

    assertThat(copy).isEqualTo(poll());
    assertThat(copy.getError()).isNotSameAs(poll().getError());
  }
}
