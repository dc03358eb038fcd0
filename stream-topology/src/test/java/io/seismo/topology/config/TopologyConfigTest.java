package io.seismo.topology.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.runtime.config.Settings;
import io.seismo.schemas.serde.RecordFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyConfigTest {

  @Test
  void shouldDefaultToAvroAndNameTheSettingWhenTheOutputFormatIsWrong() {
    assertThat(TopologyConfig.from(new Settings(Map.of())).outputFormat()).isEqualTo(RecordFormat.AVRO);
    assertThat(TopologyConfig.from(new Settings(Map.of("SEISMO_OUTPUT_FORMAT", "JSON"))).outputFormat())
        .isEqualTo(RecordFormat.JSON);
    assertThatThrownBy(() -> TopologyConfig.from(new Settings(Map.of("SEISMO_OUTPUT_FORMAT", "protobuf"))))
        .isInstanceOf(Settings.ConfigException.class)
        .hasMessage("invalid configuration: SEISMO_OUTPUT_FORMAT must be avro or json, got 'protobuf'");
  }
}
