package io.seismo.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.runtime.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void shouldReadTheAllowlistUnderTheNameTheControlApiReadsWhenItIsSet() {
    IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8")));
    IngestConfig former = IngestConfig.from(new Settings(Map.of("SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8")));

    assertThat(config.allowHosts()).containsExactly("localhost", "127.0.0.0/8");
    assertThat(former).as("the former name, still read").isEqualTo(config);
    assertThatThrownBy(() -> IngestConfig.from(new Settings(Map.of(
        "SEISMO_ALLOW_HOSTS", "localhost", "SEISMO_INGEST_ALLOW_HOSTS", "127.0.0.0/8"))))
        .isInstanceOf(Settings.ConfigException.class).hasMessageContaining("SEISMO_INGEST_ALLOW_HOSTS is the former name"
            + " of SEISMO_ALLOW_HOSTS");
  }
}
