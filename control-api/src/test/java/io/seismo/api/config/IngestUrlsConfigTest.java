package io.seismo.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.runtime.config.Settings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestUrlsConfigTest {

  private static ApiConfig config(String urls) {
    return ApiConfig.from(new Settings(Map.of("SEISMO_API_WRITE_TOKENS", "w", "SEISMO_API_INGEST_URLS", urls)));
  }

  @Test
  void shouldReadBaseUrlsWhenIngestUrlsAreConfigured() {
    assertThat(config(" http://ingest-1:8081 , https://ingest-2:9443/ ").ingestUrls())
        .containsExactly(URI.create("http://ingest-1:8081"), URI.create("https://ingest-2:9443"));
    assertThat(ApiConfig.from(new Settings(Map.of("SEISMO_API_WRITE_TOKENS", "w"))).ingestUrls()).isEmpty();
    assertThat(ApiConfig.from(new Settings(Map.of("SEISMO_API_WRITE_TOKENS", "w"))).ingestGroupId()).isEqualTo("seismo-ingest");
  }

  @Test
  void shouldRefuseAUrlWhenItIsNotAnHttpBaseUrl() {
    for (String bad : new String[] {"ingest:8081", "ftp://ingest", "http://ingest:8081/metrics", "http://u:p@ingest", "http://ingest?x=1"}) {
      assertThatThrownBy(() -> config(bad)).as(bad).isInstanceOf(Settings.ConfigException.class)
          .hasMessageContaining("SEISMO_API_INGEST_URLS must be comma-separated http(s) base URLs");
    }
  }
}
