package io.seismo.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretResolverTest {

  private final SecretResolver resolver = SecretResolver.of(Map.of("TOKEN", "s3cr3t"));

  @Test
  void shouldReplaceReferencesWhenVariableIsSet() {
    assertThat(resolver.resolve("Bearer ${env:TOKEN}")).isEqualTo("Bearer s3cr3t");
    assertThat(resolver.resolve("plain")).isEqualTo("plain");
  }

  @Test
  void shouldNameTheVariableButNotLeakValuesWhenMissing() {
    assertThatThrownBy(() -> resolver.resolve("${env:TOKEN} ${env:NOPE}"))
        .hasMessageContaining("NOPE")
        .hasMessageNotContaining("s3cr3t");
  }
}
