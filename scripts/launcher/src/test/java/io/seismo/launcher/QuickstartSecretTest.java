package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.ingest.notify.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The quickstart signs its webhooks: a Standard Webhooks secret is generated once and kept. */
class QuickstartSecretTest {

  @Test
  void shouldGenerateAStandardWebhooksSecretOnceWhenNoneIsSet() throws Exception {
    Path home = Files.createTempDirectory("quickstart-secret");

    String secret = Quickstart.notifySecretFor(home);

    assertThat(secret).startsWith("whsec_");
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    assertThat(key).hasSize(24);
    assertThat(Quickstart.notifySecretFor(home)).isEqualTo(secret);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("notify-secret"))))
        .isEqualTo("rw-------");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal("id.1.{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(new WebhookSigner(secret).sign("id", 1, "{}")).isEqualTo(expected);
  }
}
