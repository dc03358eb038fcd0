package io.seismo.topology.errors;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.MDC;

/**
 * The record a Kafka Streams error handler is called for, as separate fields of its log lines (JSON logs:
 * {@code apiId}, {@code topic}, {@code partition}, {@code offset}), so a log search finds an API's failed
 * records without parsing messages. Every key of Seismo's input topics is an apiId.
 */
final class LogContext implements AutoCloseable {

  private static final String[] KEYS = {"apiId", "topic", "partition", "offset"};

  private LogContext() {}

  static LogContext of(ErrorHandlerContext context) {
    byte[] key = context.sourceRawKey();
    if (key != null) {
      MDC.put("apiId", new String(key, StandardCharsets.UTF_8));
    }
    MDC.put("topic", context.topic());
    MDC.put("partition", Integer.toString(context.partition()));
    MDC.put("offset", Long.toString(context.offset()));
    return new LogContext();
  }

  @Override
  public void close() {
    for (String key : KEYS) {
      MDC.remove(key);
    }
  }
}
