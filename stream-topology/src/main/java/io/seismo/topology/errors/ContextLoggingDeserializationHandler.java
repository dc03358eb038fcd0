package io.seismo.topology.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** Kafka's log-and-continue (and dead-letter) handling of an undecodable record, logged with {@link LogContext}. */
public final class ContextLoggingDeserializationHandler extends LogAndContinueExceptionHandler {

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    try (LogContext ignored = LogContext.of(context)) {
      return super.handleError(context, record, exception);
    }
  }
}
