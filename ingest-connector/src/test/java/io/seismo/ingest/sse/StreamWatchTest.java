package io.seismo.ingest.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamWatchTest {

  private static long retryAfter(String... chunks) {
    StreamWatch watch = new StreamWatch();
    for (String chunk : chunks) {
      byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
      watch.scan(bytes, bytes.length);
    }
    return watch.retryMillis.get();
  }

  @Test
  void shouldReadTheRetryFieldEvenWhenSplitAcrossReads() {
    assertThat(retryAfter("retry: 2500\n")).isEqualTo(2500);
    assertThat(retryAfter("retry:700\r\n")).isEqualTo(700);
    assertThat(retryAfter("data: x\nre", "try: 12", "34\n\n")).isEqualTo(1234);
    assertThat(retryAfter("retry: 100\n", "retry: 900\n")).isEqualTo(900); // the last one counts
  }

  @Test
  void shouldIgnoreWhatIsNotAValidRetryField() {
    assertThat(retryAfter("retry: soon\n")).isEqualTo(-1);
    assertThat(retryAfter("retry: -5\n")).isEqualTo(-1);
    assertThat(retryAfter("retry: 10s\n")).isEqualTo(-1);
    assertThat(retryAfter("data: retry: 5\n")).isEqualTo(-1);
    assertThat(retryAfter("retry:\n")).isEqualTo(-1);
    assertThat(retryAfter("retry: 5")).as("no line end yet").isEqualTo(-1);
    assertThat(retryAfter("retry: 99999999999999999999\n")).as("absurdly large").isEqualTo(-1);
  }
}
