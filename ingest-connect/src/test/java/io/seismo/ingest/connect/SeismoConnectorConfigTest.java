package io.seismo.ingest.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.ingest.config.IngestConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeismoConnectorConfigTest {

  private static Map<String, String> good() {
    Map<String, String> props = new HashMap<>();
    props.put(SeismoConnectorConfig.BOOTSTRAP_SERVERS, "kafka:9092");
    props.put("key.converter", SeismoConnectorConfig.STRING_CONVERTER);
    props.put("value.converter", SeismoConnectorConfig.BYTES_CONVERTER);
    return props;
  }

  @Test
  void shouldReadTheIngestSettingsWithTheIngestsUnitsWhenGivenAsConnectorKeys() {
    Map<String, String> props = good();
    props.put("seismo.ingest.max.body.bytes", "512k");
    props.put("seismo.ingest.connect.timeout", "2s");
    props.put("seismo.ingest.allow.hosts", "localhost, 10.1.0.0/16");
    props.put("seismo.kafka.security.protocol", "SSL");
    props.put("seismo.secret.SEISMO_SECRET_TOKEN", "t0ken");

    IngestConfig config = SeismoConnectorConfig.ingestConfig(props);

    assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.maxBodyBytes()).isEqualTo(512 * 1024);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(15)); // the ingest's default
    assertThat(config.allowHosts()).containsExactly("localhost", "10.1.0.0/16");
    assertThat(SeismoConnectorConfig.kafkaOverrides(props)).containsEntry("security.protocol", "SSL");
    assertThat(SeismoConnectorConfig.secrets(props)).containsExactly(Map.entry("SEISMO_SECRET_TOKEN", "t0ken"));
    assertThat(SeismoConnectorConfig.problems(props)).isEmpty();
  }

  @Test
  void shouldNameTheConnectorKeyAndNeverASecretWhenAValueIsBad() {
    Map<String, String> props = good();
    props.put("seismo.ingest.read.timeout", "15");
    props.put("seismo.ingest.host.concurrency", "0");
    props.put("seismo.secret.KAFKA_PASSWORD", "hunter2");
    props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");

    Map<String, List<String>> problems = SeismoConnectorConfig.problems(props);

    assertThat(problems.get("seismo.ingest.read.timeout")).singleElement().asString()
        .isEqualTo("seismo.ingest.read.timeout must be a duration with a unit like 500ms, 5s, 2m, 1h, 1d or ISO-8601"
            + " like PT5S, was '15'");
    assertThat(problems.get("seismo.ingest.host.concurrency")).singleElement().asString()
        .contains("seismo.ingest.host.concurrency must be between 1 and 1024");
    assertThat(problems.get("seismo.secret.KAFKA_PASSWORD")).singleElement().asString()
        .contains("seismo.secret.env.allow (SEISMO_SECRET_*) does not allow");
    assertThat(problems.get("key.converter")).singleElement().asString()
        .contains("must be " + SeismoConnectorConfig.STRING_CONVERTER);
    assertThat(problems.toString()).doesNotContain("hunter2");
  }
}
