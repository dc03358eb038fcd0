package io.seismo.topology.processor;

import java.util.function.LongConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * Lets a processor forward records while Kafka Streams flushes its stores before a commit, making the processor's
 * node current as Kafka Streams' caching stores do; {@link #of} fails at start on a context of another kind.
 */
final class CommitForwarder {

  private final InternalProcessorContext<?, ?> context;
  private final ProcessorNode<?, ?, ?, ?> node;

  private CommitForwarder(InternalProcessorContext<?, ?> context, ProcessorNode<?, ?, ?, ?> node) {
    this.context = context;
    this.node = node;
  }

  /** Call from the processor's {@code init}, while its node is the current one. */
  static CommitForwarder of(ProcessorContext<?, ?> context) {
    if (!(context instanceof InternalProcessorContext<?, ?> internal) || internal.currentNode() == null) {
      throw new IllegalStateException("cannot forward at commit: Kafka Streams handed the processor a "
          + context.getClass().getName() + " without its node; this Kafka Streams version is not supported");
    }
    return new CommitForwarder(internal, internal.currentNode());
  }

  /** Runs {@code forwarding} with the processor's node current, passing it the wall-clock time. */
  void run(LongConsumer forwarding) {
    ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
    ProcessorRecordContext previousRecord = context.recordContext();
    long now = context.currentSystemTimeMs();
    context.setRecordContext(new ProcessorRecordContext(now, -1L, -1, null, new RecordHeaders()));
    context.setCurrentNode(node);
    try {
      forwarding.accept(now);
    } finally {
      context.setCurrentNode(previousNode);
      context.setRecordContext(previousRecord);
    }
  }
}
