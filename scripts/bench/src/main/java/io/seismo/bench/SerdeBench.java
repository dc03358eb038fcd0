package io.seismo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AvroSerde (single-object encoding, buffered reused encoder/decoder, custom coders) against Avro's own
 * BinaryMessageEncoder/Decoder of the generated class — the same bytes — and, for scale, Jackson JSON
 * of the same PollResult.
 */
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
    var encoder = PollResult.getEncoder();
    var decoder = PollResult.getDecoder();
    Map<String, Object> asMap = new LinkedHashMap<>();
    poll.getSchema().getFields().forEach(field -> {
      Object value = poll.get(field.pos());
      asMap.put(field.name(), value instanceof ByteBuffer buffer
          ? StandardCharsets.UTF_8.decode(buffer.duplicate()).toString() : value == null ? null : value.toString());
    });
    byte[] avro = serde.serializer().serialize("t", poll);
    ByteBuffer message = encoder.encode(poll);
    byte[] avroMessage = new byte[message.remaining()];
    message.get(avroMessage);
    boolean sameBytes = Arrays.equals(avro, avroMessage);
    if (!decoder.decode(avro).equals(serde.deserializer().deserialize("t", avroMessage))) {
      throw new IllegalStateException("AvroSerde and BinaryMessageDecoder disagree");
    }
    byte[] json = JSON.writeValueAsBytes(asMap);

    Measure.Comparison versusAvro = Measure.compare("serde vs BinaryMessageEncoder",
        () -> serde.deserializer().deserialize("t", serde.serializer().serialize("t", poll)),
        () -> decoder.decode(encoder.encode(poll)), settings);
    Measure.Comparison versusJson = Measure.compare("serde vs Jackson",
        () -> serde.deserializer().deserialize("t", serde.serializer().serialize("t", poll)),
        () -> JSON.readValue(JSON.writeValueAsBytes(asMap), Map.class), settings);
    String method = settings.rounds() + " rounds of " + settings.roundSeconds() + " s after " + settings.warmupSeconds()
        + " s warm-up each, alternating; ratios ";
    Row avroRow = Rounds.higher("PollResult serialize + deserialize vs Avro's BinaryMessageEncoder", "ops/s",
            versusAvro.rounds(), 1.0, method + Rounds.ratios(versusAvro.rounds()) + String.format(Locale.ROOT,
                "; allocated %.0f vs %.0f bytes/op; identical bytes: %s", versusAvro.seismoBytesPerOp(),
                versusAvro.baselineBytesPerOp(), sameBytes))
        .sides("Seismo: AvroSerde (single-object encoding, buffered encoder and decoder reused per thread, custom coders); "
            + "baseline: the generated PollResult.getEncoder().encode / getDecoder().decode (Avro's BinaryMessageEncoder/"
            + "Decoder); same 2 KB PollResult, same bytes");
    if (!sameBytes) {
      avroRow = avroRow.failure("AvroSerde's bytes differ from BinaryMessageEncoder's");
    }
    return List.of(
        Row.lower("PollResult record size (Avro / JSON)", "bytes", avro.length, json.length, json.length,
                "single-object encoding incl. 10-byte header vs JSON with the body as text")
            .sides("the same 2 KB PollResult: AvroSerde bytes vs Jackson JSON of its fields (body as text); target: smaller than JSON"),
        avroRow,
        Rounds.higher("PollResult serialize + deserialize vs Jackson", "ops/s", versusJson.rounds(), 0.8,
                method + Rounds.ratios(versusJson.rounds()))
            .sides("Seismo: AvroSerde round trip; baseline: Jackson ObjectMapper writeValueAsBytes + readValue(Map) of the same fields"));
  }
}
