package io.seismo.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.runtime.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundConfigTest {

  @Test
  void shouldReadTheAllowlistFromSeismoAllowHostsWhenItIsSet() {
    Settings settings = new Settings(Map.of("SEISMO_ALLOW_HOSTS", "localhost, 10.1.0.0/16"));

    assertThat(OutboundConfig.from(settings).allowHosts()).containsExactly("localhost", "10.1.0.0/16");
    assertThat(settings.unread()).isEmpty();
  }

  @Test
  void shouldStillReadTheIngestsFormerNameWhenOnlyItIsSet() {
    Settings settings = new Settings(Map.of("SEISMO_INGEST_ALLOW_HOSTS", "localhost,127.0.0.0/8"));

    assertThat(OutboundConfig.from(settings).allowHosts()).containsExactly("localhost", "127.0.0.0/8");
    assertThat(settings.unread()).as("the former name is a setting in use, not a typo").isEmpty();
  }

  @Test
  void shouldFailStartUpNamingBothWhenTheNewAndTheFormerNameDisagree() {
    Settings settings = new Settings(Map.of("SEISMO_ALLOW_HOSTS", "localhost", "SEISMO_INGEST_ALLOW_HOSTS", "10.0.0.0/8"));

    assertThatThrownBy(() -> OutboundConfig.from(settings)).isInstanceOf(Settings.ConfigException.class)
        .hasMessage("invalid configuration: SEISMO_INGEST_ALLOW_HOSTS is the former name of SEISMO_ALLOW_HOSTS, and"
            + " both are set, to different values: set SEISMO_ALLOW_HOSTS only");
  }

  @Test
  void shouldAcceptBothNamesWhenTheyAgree() {
    Settings settings = new Settings(Map.of("SEISMO_ALLOW_HOSTS", "localhost", "SEISMO_INGEST_ALLOW_HOSTS", "localhost"));

    assertThat(OutboundConfig.from(settings).allowHosts()).containsExactly("localhost");
  }

  @Test
  void shouldAllowNothingAndTheDefaultSecretNamesWhenNothingIsSet() {
    OutboundConfig config = OutboundConfig.from(new Settings(Map.of()));

    assertThat(config.allowHosts()).isEmpty();
    assertThat(config.secretNames()).isEqualTo(SecretNames.DEFAULT);
  }
}
