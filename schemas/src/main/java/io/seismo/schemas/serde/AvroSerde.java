package io.seismo.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Thread-safe Kafka Serde for a generated Avro record in Avro single-object encoding, reading older schemas
 * listed in {@link SchemaHistory} and the JSON form of {@link RecordFormat#JSON}; see docs/architecture.md.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

  static {
    TrustedContracts.ensure(); // also done by every generated record when it is initialised
  }

  private static final int HEADER_BYTES = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  /**
   * Per-platform-thread output buffer and encoder; the buffer is dropped when a huge value inflated it.
   * Not used on virtual threads (see {@link #serialize}).
   */
  private static final ThreadLocal<Encoding> ENCODING = ThreadLocal.withInitial(Encoding::new);
  private static final ThreadLocal<BinaryDecoder[]> DECODER = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

  private final Class<T> type;
  private final byte[] header;
  private final SpecificDatumWriter<T> writer;
  private final Schema schema;
  /** Reader per writer-schema fingerprint: the current schema and every older version we can resolve. */
  private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  private AvroSerde(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
    SpecificData model = SpecificData.getForClass(type);
    // Generated customEncode/customDecode where Avro could generate them (records without logical
    // types): measured 1.7x faster encoding than the reflective path. Off by default in Avro 1.12.
    model.setCustomCoders(true);
    Schema schema = model.getSchema(type);
    this.schema = schema;
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.header = new byte[HEADER_BYTES];
    header[0] = MARKER_0;
    header[1] = MARKER_1;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    this.writer = new SpecificDatumWriter<>(schema, model);
    readers.put(fingerprint, new SpecificDatumReader<>(schema, schema, model));
    for (Schema older : SchemaHistory.olderVersionsOf(schema.getFullName())) {
      readers.putIfAbsent(SchemaNormalization.parsingFingerprint64(older), new SpecificDatumReader<>(older, schema, model));
    }
  }

  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type);
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    // Platform threads (stream threads, the producer's sender) are few and long-lived: they keep one
    // buffer each. A virtual thread may live as long as an SSE stream, and there may be 10,000 of them:
    // a buffer kept per virtual thread would stay as large as the largest event its stream ever carried
    // (a 200 KB snapshot keeps 256 KB), so they encode with a buffer of the call's own.
    Encoding encoding = Thread.currentThread().isVirtual() ? new Encoding() : ENCODING.get();
    try {
      return encoding.encode(header, writer, data);
    } catch (IOException | RuntimeException e) {
      encoding.reset();
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length > 0 && data[0] == '{') { // the JSON form of the analysis topics (RecordFormat.JSON)
      try {
        return JsonRecords.decode(type, schema, data);
      } catch (IOException | RuntimeException e) {
        throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
            + ": JSON that does not fit the schema: " + e.getMessage(), e);
      }
    }
    if (data.length < HEADER_BYTES || data[0] != MARKER_0 || data[1] != MARKER_1) {
      throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
          + ": not Avro single-object encoding (expected the marker C3 01 and a schema fingerprint, got "
          + data.length + " bytes)");
    }
    long fingerprint = 0;
    for (int i = 0; i < 8; i++) {
      fingerprint |= (data[2 + i] & 0xFFL) << (8 * i);
    }
    SpecificDatumReader<T> reader = readers.get(fingerprint);
    if (reader == null) {
      throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
          + ": unknown writer schema (fingerprint " + Long.toHexString(fingerprint)
          + "); add it to the schema history if it is an older version");
    }
    try {
      BinaryDecoder[] reuse = DECODER.get();
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER_BYTES, data.length - HEADER_BYTES, reuse[0]);
      reuse[0] = decoder;
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
            + ": trailing bytes after the record");
      }
      return value;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
             | ClassCastException e) {
      throw new SerializationException("cannot decode " + type.getSimpleName() + " from topic " + topic
          + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // nothing to configure: the record type fixes the schema
  }

  @Override
  public void close() {
    // stateless: Kafka clients close serdes they were given, and this one is shared
  }

  private static final class Encoding {
    private static final int KEEP_BYTES = 1 << 20;
    private ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    private BinaryEncoder encoder;

    <T> byte[] encode(byte[] header, SpecificDatumWriter<T> writer, T data) throws IOException {
      out.reset();
      out.write(header);
      encoder = EncoderFactory.get().binaryEncoder(out, encoder);
      writer.write(data, encoder);
      encoder.flush();
      byte[] bytes = out.toByteArray();
      if (bytes.length > KEEP_BYTES) {
        reset();
      }
      return bytes;
    }

    void reset() {
      out = new ByteArrayOutputStream(4096);
      encoder = null;
    }
  }
}
