package io.seismo.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.runtime.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

  private static ApiConfig config(String rate) {
    return ApiConfig.from(new Settings(Map.of("SEISMO_API_WRITE_TOKENS", "w", "SEISMO_API_RATE_LIMIT", rate)));
  }

  @Test
  void shouldAcceptADecimalRateWhenRateLimitIsConfigured() {
    assertThat(config("0.5").rateLimitPerSecond()).isEqualTo(0.5);
    assertThat(config("20").rateLimitPerSecond()).isEqualTo(20.0);
  }

  @Test
  void shouldRefuseANonPositiveOrNonNumericRateWhenRateLimitIsConfigured() {
    for (String bad : new String[] {"0", "-1", "abc", "NaN", "Infinity", "2000000"}) {
      assertThatThrownBy(() -> config(bad)).as(bad).isInstanceOf(Settings.ConfigException.class)
          .hasMessage("invalid configuration: SEISMO_API_RATE_LIMIT must be a number of requests per second above 0 and up to"
              + " 1000000 (decimals allowed), was '" + bad + "'");
    }
  }

  @Test
  void shouldReadTheAllowlistUnderTheNameTheIngestReadsWhenItIsSet() {
    ApiConfig config = ApiConfig.from(new Settings(Map.of("SEISMO_API_WRITE_TOKENS", "w",
        "SEISMO_ALLOW_HOSTS", "localhost,127.0.0.0/8")));
    ApiConfig former = ApiConfig.from(new Settings(Map.of("SEISMO_API_WRITE_TOKENS", "w",
        "SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8")));

    assertThat(config.allowHosts()).containsExactly("localhost", "127.0.0.0/8");
    assertThat(former.allowHosts()).as("the former name, still read").isEqualTo(config.allowHosts());
    assertThatThrownBy(() -> ApiConfig.from(new Settings(Map.of("SEISMO_API_WRITE_TOKENS", "w",
        "SEISMO_ALLOW_HOSTS", "localhost", "SEISMO_INGEST_ALLOW_HOSTS", "127.0.0.0/8"))))
        .isInstanceOf(Settings.ConfigException.class).hasMessageContaining("SEISMO_INGEST_ALLOW_HOSTS is the former name"
            + " of SEISMO_ALLOW_HOSTS");
  }
}
