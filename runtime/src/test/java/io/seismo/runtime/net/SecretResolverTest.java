package io.seismo.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.runtime.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretResolverTest {

  private final SecretResolver resolver = SecretResolver.of(Map.of("SEISMO_SECRET_TOKEN", "s3cr3t"));

  @Test
  void shouldReplaceReferencesWhenVariableIsSet() {
    assertThat(resolver.resolve("Bearer ${env:SEISMO_SECRET_TOKEN}")).isEqualTo("Bearer s3cr3t");
    assertThat(resolver.resolve("plain")).isEqualTo("plain");
  }

  @Test
  void shouldNameTheVariableButNotLeakValuesWhenMissing() {
    assertThatThrownBy(() -> resolver.resolve("${env:SEISMO_SECRET_TOKEN} ${env:SEISMO_SECRET_NOPE}"))
        .hasMessage("header references ${env:SEISMO_SECRET_NOPE} but environment variable SEISMO_SECRET_NOPE is not set");
  }

  @Test
  void shouldRefuseNamesOutsideTheDefaultAllowlistWithoutReadingThem() {
    List<String> read = new ArrayList<>();
    SecretResolver guarded = new SecretResolver(name -> {
      read.add(name);
      return "leaked";
    }, SecretNames.DEFAULT);

    for (String name : List.of("SEISMO_NOTIFY_SECRET", "SEISMO_KAFKA_SASL_JAAS_CONFIG", "HOME", "SEISMO_SECRET_ENV_ALLOW")) {
      assertThatThrownBy(() -> guarded.resolve("Bearer ${env:SEISMO_SECRET_OK} ${env:" + name + "}"))
          .isInstanceOf(SecretResolver.RefusedSecretException.class)
          .hasMessage("header references ${env:" + name + "}, which is not an allowed secret name: "
              + "SEISMO_SECRET_ENV_ALLOW allows SEISMO_SECRET_*");
    }
    assertThat(read).isEmpty();
  }

  @Test
  void shouldReadTheAllowlistFromTheOneSettingBothServicesRead() {
    OutboundConfig config = OutboundConfig.from(new Settings(Map.of("SEISMO_SECRET_ENV_ALLOW", "WEATHER_?EY, ACME_*")));
    SecretResolver configured = new SecretResolver(Map.of("WEATHER_KEY", "w", "ACME_TOKEN", "a",
        "SEISMO_SECRET_X", "x")::get, config.secretNames());

    assertThat(configured.resolve("${env:WEATHER_KEY}/${env:ACME_TOKEN}")).isEqualTo("w/a");
    assertThatThrownBy(() -> configured.resolve("${env:SEISMO_SECRET_X}"))
        .hasMessage("header references ${env:SEISMO_SECRET_X}, which is not an allowed secret name: "
            + "SEISMO_SECRET_ENV_ALLOW allows WEATHER_?EY, ACME_*");
    assertThat(OutboundConfig.from(new Settings(Map.of())).secretNames().globs()).containsExactly("SEISMO_SECRET_*");
  }

  @Test
  void shouldNotReportAllowedSecretVariablesAsUnusedSettings() {
    Settings settings = new Settings(Map.of("SEISMO_SECRET_WEATHER", "w", "SEISMO_INGEST_ALLOW_HOST", "typo"));

    OutboundConfig.from(settings);

    assertThat(settings.unread()).containsExactly("SEISMO_INGEST_ALLOW_HOST");
  }
}
