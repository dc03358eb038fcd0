package io.seismo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Avro single-object encoding (AvroSerde) vs Jackson JSON of the same PollResult. */
final class SerdeBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Measure.Settings settings;

  SerdeBench(Measure.Settings settings) {
    this.settings = settings;
  }

  List<Row> run() throws Exception {
    byte[] body = Documents.catalogue(2_000, 1).getBytes(StandardCharsets.UTF_8);
    PollResult poll = PollResult.newBuilder().setApiId("api-1").setSequence(1).setRequestedAt(Instant.now())
        .setLatencyMs(12).setHttpStatus(200).setHeaderBytes(250).setWireBodyBytes(body.length).setBodyBytes(body.length)
        .setContentType("application/json").setEtag("\"abc\"").setBody(ByteBuffer.wrap(body)).build();
    var serde = Topics.RAW_POLLS.valueSerde();
    Map<String, Object> asMap = new LinkedHashMap<>();
    poll.getSchema().getFields().forEach(field -> {
      Object value = poll.get(field.pos());
      asMap.put(field.name(), value instanceof ByteBuffer buffer
          ? StandardCharsets.UTF_8.decode(buffer.duplicate()).toString() : value == null ? null : value.toString());
    });
    byte[] avro = serde.serializer().serialize("t", poll);
    byte[] json = JSON.writeValueAsBytes(asMap);
    Measure.Result seismo = Measure.run(() -> serde.deserializer().deserialize("t", serde.serializer().serialize("t", poll)),
        settings);
    Measure.Result baseline = Measure.run(() -> JSON.readValue(JSON.writeValueAsBytes(asMap), Map.class), settings);
    return List.of(
        Row.lower("PollResult record size (Avro / JSON)", "bytes", avro.length, json.length, json.length,
            "single-object encoding incl. 10-byte header vs JSON with the body as text"),
        Row.higher("PollResult serialize + deserialize", "ops/s", seismo.opsPerSecond(), baseline.opsPerSecond(), 0.8,
            "AvroSerde vs Jackson ObjectMapper (Map)"));
  }
}
