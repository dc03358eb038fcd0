package io.seismo.schemas.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.PollResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Guards the copied Avro templates (src/main/avro-templates): an Avro upgrade must re-copy them. */
class TemplateVersionTest {

  private static final Path TEMPLATES = Path.of("src/main/avro-templates");

  @Test
  void templatesAreCopiedFromTheAvroVersionOnTheClasspath() throws IOException {
    Properties avro = new Properties();
    try (InputStream in = Schema.class.getResourceAsStream("/META-INF/maven/org.apache.avro/avro/pom.properties")) {
      avro.load(in);
    }
    String version = avro.getProperty("version");
    for (String template : new String[] {"record.vm", "enum.vm"}) {
      assertThat(Files.readString(TEMPLATES.resolve(template), StandardCharsets.UTF_8))
          .as("%s was copied from Avro %s's avro-compiler; copy the new one and re-add Seismo's lines", template, version)
          .startsWith("## Seismo: Avro " + version + "'s ");
    }
  }

  @Test
  void generatedRecordsCallTheTrustHook() throws IOException {
    Path generated = Path.of("target/generated-sources/avro/io/seismo/schemas/PollResult.java");
    assertThat(Files.readString(generated, StandardCharsets.UTF_8))
        .contains("io.seismo.schemas.serde.TrustedContracts.ensure();");
    assertThat(PollResult.getClassSchema().getNamespace()).isEqualTo("io.seismo.schemas");
  }
}
