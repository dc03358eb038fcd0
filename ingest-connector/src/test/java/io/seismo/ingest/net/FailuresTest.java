package io.seismo.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.SampleError;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void shouldNameTheHeaderButNotItsValueWhenOkHttpRefusesAHeaderValue() {
    Throwable okhttp = catchThrowable(() -> new okhttp3.Request.Builder().url("http://example.org/")
        .header("X-Key", "s3cr3t\u0007tail"));
    assertThat(okhttp).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3cr3t"); // what OkHttp says

    SampleError error = Failures.sampleError(okhttp);

    assertThat(error.getCategory()).isEqualTo(ErrorCategory.CONFIG);
    assertThat(error.getMessage()).isEqualTo("header 'X-Key' cannot be sent: its value contains a control or "
        + "non-ASCII character (value not shown); fix the registration or the ${env:...} secret it references");
  }

  @Test
  void shouldKeepOtherMessagesWhenTheyCarryNoHeaderValue() {
    assertThat(Failures.describe(new ConnectException("Connection refused")))
        .isEqualTo("ConnectException: Connection refused");
  }
}
