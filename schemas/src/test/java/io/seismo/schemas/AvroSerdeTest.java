package io.seismo.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seismo.schemas.serde.AvroSerde;
import io.seismo.schemas.serde.SchemaHistory;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final AvroSerde<Registration> serde = AvroSerde.of(Registration.class);

  @Test
  void shouldRoundTripWhenWrittenWithCurrentSchema() {
    Registration registration = Registration.newBuilder()
        .setApiId("weather").setUrl("https://example.org/weather").setPollIntervalMs(5_000)
        .setHeaders(Map.of("Authorization", "${env:WEATHER_TOKEN}")).setJsonPointer("/data").build();

    byte[] bytes = serde.serialize("t", registration);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3); // single-object encoding marker
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(serde.deserialize("t", bytes)).isEqualTo(registration);
  }

  @Test
  void shouldWriteExactlyTheBytesOfAvrosMessageEncoderAndReadThem() throws Exception {
    Registration registration = Registration.newBuilder()
        .setApiId("same-bytes").setUrl("https://example.org/x").setPollIntervalMs(1_000)
        .setHeaders(Map.of("Accept", "application/json")).build();
    byte[] avros = toBytes(Registration.getEncoder().encode(registration));

    assertThat(serde.serialize("t", registration)).isEqualTo(avros);
    assertThat(serde.deserialize("t", avros)).isEqualTo(registration);
    assertThat(Registration.getDecoder().decode(serde.serialize("t", registration))).isEqualTo(registration);
  }

  /**
   * SSE jobs serialize their events on their stream's own (virtual) thread, which lives as long as the
   * stream: a per-thread encoder buffer kept there stays as large as the largest event the stream ever
   * carried (a 200 KB snapshot keeps 256 KB; on 10,000 streams, gigabytes).
   */
  @Test
  void shouldNotKeepAnEncoderBufferPerVirtualThreadWhenLongLivedThreadsSerializeLargeValues() throws Exception {
    AvroSerde<SseEvent> events = AvroSerde.of(SseEvent.class);
    SseEvent snapshot = SseEvent.newBuilder().setApiId("big").setConnectionId("c").setKind(SseEventKind.EVENT)
        .setData("x".repeat(200_000)).setBytes(200_000).setReceivedAt(Instant.now()).build();
    int streams = 200;
    CountDownLatch serialized = new CountDownLatch(streams);
    CountDownLatch release = new CountDownLatch(1);
    long before = usedHeapAfterGc();
    long retained;
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < streams; i++) {
        threads.submit(() -> {
          events.serialize("t", snapshot);
          serialized.countDown();
          release.await(); // the stream stays open
          return null;
        });
      }
      assertThat(serialized.await(60, TimeUnit.SECONDS)).isTrue();
      retained = usedHeapAfterGc() - before;
      release.countDown();
    }

    // kept per thread, this would be at least 200 × 256 KB = 50 MB
    assertThat(retained).isLessThan(20L << 20);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void shouldRefuseTrailingBytesAfterTheRecord() {
    byte[] bytes = serde.serialize("t", Registration.newBuilder().setApiId("a").setUrl("https://example.org").build());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

    assertThatThrownBy(() -> serde.deserialize("t", longer))
        .isInstanceOf(SerializationException.class).hasMessageContaining("trailing bytes");
  }

  @Test
  void shouldReadRecordWrittenWithOlderSchemaWhenNewFieldsHaveDefaults() throws Exception {
    Schema v1 = SchemaHistory.olderVersionsOf(Registration.getClassSchema().getFullName()).getFirst();
    GenericRecord old = new GenericData.Record(v1);
    old.put("apiId", "legacy");
    old.put("url", "https://example.org/legacy");
    old.put("pollIntervalMs", 30_000L);
    old.put("headers", Map.of("Accept", "application/json"));
    old.put("desiredState", new GenericData.EnumSymbol(v1.getField("desiredState").schema(), "STOPPED"));
    old.put("version", 7L);
    ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

    Registration read = serde.deserialize("t", toBytes(written));

    assertThat(read.getApiId()).isEqualTo("legacy");
    assertThat(read.getPollIntervalMs()).isEqualTo(30_000L);
    assertThat(read.getHeaders()).containsEntry("Accept", "application/json");
    assertThat(read.getDesiredState()).isEqualTo(DesiredState.STOPPED);
    assertThat(read.getVersion()).isEqualTo(7L);
    assertThat(read.getMode()).isEqualTo(ApiMode.POLL);           // default of a field v1 did not have
    assertThat(read.getJsonPointer()).isNull();
    assertThat(read.getNotifyWebhooks()).isEmpty();
  }

  @Test
  void shouldReadValuesWrittenWhileTheStoreTimestampsWereTimestampMillis() throws Exception {
    // The store values' times became plain longs (for Avro's generated coders): same bytes, same fingerprint.
    Schema before = new Schema.Parser().parse(Execution.getClassSchema().toString()
        .replace("{\"name\":\"at\",\"type\":\"long\"", "{\"name\":\"at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}"));
    assertThat(before.getField("at").schema().getLogicalType()).isNotNull();
    GenericRecord old = new GenericData.Record(before);
    for (Schema.Field field : before.getFields()) {
      if (field.hasDefaultValue()) {
        old.put(field.name(), GenericData.get().getDefaultValue(field));
      }
    }
    old.put("sequence", 9L);
    old.put("at", 1_700_000_000_123L);
    old.put("httpStatus", 200);
    byte[] written = toBytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), before).encode(old));

    Execution read = AvroSerde.of(Execution.class).deserialize("t", written);

    assertThat(read.getAt()).isEqualTo(1_700_000_000_123L);
    assertThat(read.getSequence()).isEqualTo(9L);
    assertThat(read.getHttpStatus()).isEqualTo(200);
    assertThat(AvroSerde.of(Execution.class).serialize("t", read)).isEqualTo(written);
  }

  @Test
  void shouldFailWithClearMessageWhenBytesAreNotAvro() {
    assertThatThrownBy(() -> serde.deserialize("seismo.registrations", "{\"apiId\":1}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode Registration from topic seismo.registrations");
  }

  @Test
  void shouldFailWithClearMessageWhenWriterSchemaIsUnknown() {
    byte[] bytes = serde.serialize("t", Registration.newBuilder().setApiId("a").setUrl("http://a").build());
    bytes[5] ^= 0x5A; // corrupt the fingerprint

    assertThatThrownBy(() -> serde.deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown writer schema");
  }

  @Test
  void shouldMapTombstonesToNull() {
    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  private static byte[] toBytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
