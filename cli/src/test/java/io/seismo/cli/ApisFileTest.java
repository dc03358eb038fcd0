package io.seismo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApisFileTest {

  @TempDir
  Path dir;

  @Test
  void shouldReadTheSameRegistrationsWhenTheFileIsTheBareListTheDashboardAlsoTakes() throws Exception {
    String item = "{\"apiId\":\"a\",\"url\":\"https://example.org/\",\"version\":3}";
    Path wrapped = Files.writeString(dir.resolve("wrapped.json"), "{\"apis\":[" + item + "]}");
    Path bare = Files.writeString(dir.resolve("bare.json"), "[" + item + "]");

    List<ObjectNode> fromWrapped = ApisFile.read(wrapped.toString(), noInput());
    List<ObjectNode> fromBare = ApisFile.read(bare.toString(), noInput());

    assertThat(fromBare).isEqualTo(fromWrapped);
    assertThat(fromBare).singleElement().satisfies(api -> assertThat(api.path("apiId").asText()).isEqualTo("a"));
  }

  @Test
  void shouldSayWhatTheFileMustBeWhenItIsNeitherAListNorAnObjectWithApis() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong.yaml"), "registrations: []\n");
    assertThatThrownBy(() -> ApisFile.read(wrong.toString(), noInput()))
        .isInstanceOf(CliException.class).hasMessageContaining("a list 'apis' of registrations (or that list alone)");
  }

  private static ByteArrayInputStream noInput() {
    return new ByteArrayInputStream(new byte[0]);
  }
}
