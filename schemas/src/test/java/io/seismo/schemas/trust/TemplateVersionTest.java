package io.seismo.schemas.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.serde.TrustedContracts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Guards the copied Avro templates (src/main/avro-templates): each must equal the template of the avro-compiler
 * the build uses, but for Seismo's lines, so an Avro upgrade fails here until they are copied again.
 */
class TemplateVersionTest {

  private static final Path TEMPLATES = Path.of("src/main/avro-templates");
  private static final String UPSTREAM = "org/apache/avro/compiler/specific/templates/java/classic/";
  private static final String CALL = TrustedContracts.class.getName() + ".ensure();";
  private static final String HOOK = "  static {\n    " + CALL + "\n  }\n";

  @Test
  void templatesEqualTheAvroCompilersButForSeismosLines() throws IOException {
    Path compiler = Path.of(System.getProperty("avro.compiler.jar", "unset: run through Maven"));
    assertThat(compiler).as("the avro-compiler jar of the build (surefire sets avro.compiler.jar)").isRegularFile();
    try (ZipFile jar = new ZipFile(compiler.toFile())) {
      for (String template : List.of("record.vm", "enum.vm", "fixed.vm", "protocol.vm")) {
        String upstream;
        try (InputStream in = jar.getInputStream(jar.getEntry(UPSTREAM + template))) {
          upstream = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String ours = Files.readString(TEMPLATES.resolve(template), StandardCharsets.UTF_8);
        String withoutSeismo = ours.lines().filter(line -> !line.startsWith("## Seismo: "))
            .reduce(new StringBuilder(), (text, line) -> text.append(line).append('\n'), StringBuilder::append)
            .toString().replace(HOOK, "");
        assertThat(withoutSeismo).as("%s against %s: copy the new template and re-add Seismo's lines", template, compiler)
            .isEqualTo(upstream.endsWith("\n") ? upstream : upstream + "\n");
      }
    }
    assertThat(Files.readString(TEMPLATES.resolve("record.vm"), StandardCharsets.UTF_8)).contains(HOOK);
  }

  @Test
  void generatedRecordsCallTheTrustHook() throws IOException {
    Path generated = Path.of("target/generated-sources/avro/io/seismo/schemas/PollResult.java");
    assertThat(Files.readString(generated, StandardCharsets.UTF_8))
        .as("stale generated sources (the Avro plugin does not watch the templates): mvn clean")
        .contains(CALL);
  }
}
