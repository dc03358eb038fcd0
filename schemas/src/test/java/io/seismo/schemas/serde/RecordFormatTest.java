package io.seismo.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.SampleError;
import io.seismo.schemas.Source;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Change change() {
    return Change.newBuilder().setApiId("weather").setSource(Source.SSE).setAt(Instant.ofEpochMilli(1_764_000_000_123L))
        .setSequence(7).setPatch("[{\"op\":\"replace\",\"path\":\"/t\",\"value\":3}]").setOpCount(1).setPatchBytes(40)
        .setDocumentBytes(100).setPreviousHash(null).setNewHash("abc").build();
  }

  private static ApiMetrics metrics() {
    Map<String, Long> errors = new HashMap<>();
    errors.put("TIMEOUT", 2L);
    return ApiMetrics.newBuilder().setApiId("weather").setWindow("1m").setWindowStart(60_000).setWindowEnd(120_000)
        .setSamples(5).setErrorsByCategory(errors).setLatencySketch(ByteBuffer.wrap(new byte[] {2, 1, 3, 4}))
        .setLatencyP50Ms(12.5).setLatencyP95Ms(40.0).setLatencyP99Ms(null).build();
  }

  @Test
  void shouldWritePlainJsonThatJqReadsWhenTheFormatIsJson() throws Exception {
    byte[] bytes = RecordFormat.JSON.serializer(Topics.CHANGES).serialize("seismo.changes", change());

    JsonNode json = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    assertThat(json.path("apiId").asText()).isEqualTo("weather");
    assertThat(json.path("source").asText()).isEqualTo("SSE");
    assertThat(json.path("at").asLong()).as("timestamp-millis as epoch ms").isEqualTo(1_764_000_000_123L);
    assertThat(json.path("patch").isTextual()).as("a union with null is the value, not {\"string\":...}").isTrue();
    assertThat(json.path("previousHash").isNull()).isTrue();

    byte[] metrics = RecordFormat.JSON.serializer(Topics.METRICS).serialize("seismo.metrics", metrics());
    JsonNode m = JSON.readTree(metrics);
    assertThat(m.path("errorsByCategory").path("TIMEOUT").asLong()).isEqualTo(2);
    assertThat(m.path("latencySketch").asText()).isEqualTo("AgEDBA==");
    assertThat(m.path("latencyP50Ms").asDouble()).isEqualTo(12.5);
    assertThat(m.path("latencyP99Ms").isNull()).isTrue();
  }

  @Test
  void shouldReadBothFormsWhenSeismosOwnSerdeDecodes() {
    for (var value : new Object[] {change(), metrics(),
        ApiStatus.newBuilder().setApiId("a").setState(ApiState.FAILING).setLastSampleAt(5L)
            .setLastError(new SampleError(ErrorCategory.DNS, "no such host")).build(),
        Alert.newBuilder().setApiId("a").setKind(AlertKind.FAILING).setAt(Instant.ofEpochMilli(9)).setDetail("d").build()}) {
      roundTrip(value);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> void roundTrip(Object value) {
    T record = (T) value;
    AvroSerde<T> serde = AvroSerde.of((Class<T>) record.getClass());
    byte[] json = RecordFormat.JSON.serializer(new TopicSpec<>("t",
        Serdes.String(), serde, Map.of())).serialize("t", record);
    assertThat(serde.deserialize("t", json)).as(record.getClass().getSimpleName()).isEqualTo(record);
    assertThat(serde.deserialize("t", serde.serialize("t", record))).isEqualTo(record);
  }

  @Test
  void shouldFillDefaultsAndIgnoreUnknownFieldsWhenJsonComesFromAnotherSchemaVersion() {
    String older = "{\"apiId\":\"a\",\"window\":\"1m\",\"windowStart\":0,\"windowEnd\":60000,\"samples\":3,"
        + "\"someFutureField\":{\"x\":1}}";
    ApiMetrics read = AvroSerde.of(ApiMetrics.class).deserialize("t", older.getBytes(StandardCharsets.UTF_8));

    assertThat(read.getSamples()).isEqualTo(3);
    assertThat(read.getLatencyP50Ms()).isNull();
    assertThat(read.getErrorsByCategory()).isEmpty();
    assertThat(read.getLatencySketch().remaining()).isZero();
  }

  @Test
  void shouldRefuseJsonThatDoesNotFitTheSchemaWhenDecoding() {
    AvroSerde<Alert> serde = AvroSerde.of(Alert.class);
    assertThatThrownBy(() -> serde.deserialize("t", "{\"apiId\":\"a\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("kind");
    assertThatThrownBy(() -> serde.deserialize("t", "{\"apiId\":1,\"kind\":\"TEST\",\"at\":0,\"detail\":\"\"}"
        .getBytes(StandardCharsets.UTF_8))).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serde.deserialize("t", "{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void shouldParseEitherFormatInAnyCaseAndSayWhatItAcceptsWhenTheValueIsWrong() {
    assertThat(RecordFormat.parse("avro")).isEqualTo(RecordFormat.AVRO);
    assertThat(RecordFormat.parse(" JSON ")).isEqualTo(RecordFormat.JSON);
    assertThatThrownBy(() -> RecordFormat.parse("protobuf")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be avro or json, got 'protobuf'");
  }

  @Test
  void shouldShipEveryAvscWhenTheSchemasJarIsBuilt() throws Exception {
    Schema.Parser parser = new Schema.Parser();
    for (String file : new String[] {"common.avsc", "Rules.avsc", "Change.avsc", "ApiMetrics.avsc", "ApiStatus.avsc",
        "Alert.avsc", "Registration.avsc", "PollResult.avsc", "SseEvent.avsc", "Execution.avsc", "ChangeLog.avsc",
        "Incident.avsc", "FieldFrequency.avsc"}) {
      try (var in = RecordFormatTest.class.getResourceAsStream("/io/seismo/schemas/avro/" + file)) {
        assertThat(in).as(file).isNotNull();
        parser.parse(in);
      }
    }
    // the same schemas as the generated classes write with (what the single-object fingerprint covers)
    for (Schema generated : List.of(ApiMetrics.getClassSchema(), Change.getClassSchema(),
        Alert.getClassSchema(), ApiStatus.getClassSchema())) {
      assertThat(SchemaNormalization.parsingFingerprint64(parser.getTypes().get(generated.getFullName())))
          .as(generated.getName()).isEqualTo(SchemaNormalization.parsingFingerprint64(generated));
    }
  }
}
