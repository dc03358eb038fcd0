package io.seismo.topology.errors;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/** Kafka's log-and-continue (and dead-letter) handling of a record that failed processing, logged with {@link LogContext}. */
public final class ContextLoggingProcessingHandler extends LogAndContinueProcessingExceptionHandler {

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    try (LogContext ignored = LogContext.of(context)) {
      return super.handleError(context, record, exception);
    }
  }
}
