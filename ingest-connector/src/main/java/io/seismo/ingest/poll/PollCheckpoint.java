package io.seismo.ingest.poll;

import io.seismo.schemas.PollResult;

/**
 * Where a poll job stands after a poll: its sequence and the validators its next conditional request
 * sends. A job started from one (a Kafka Connect task resuming on another worker) continues with the
 * next sequence and the same {@code If-None-Match} / {@code If-Modified-Since}.
 */
public record PollCheckpoint(long sequence, String etag, String lastModified) {

  /**
   * The checkpoint after {@code result}: its sequence, and the validators of the last full answer (a 304
   * or a failure keeps the previous ones).
   */
  public static PollCheckpoint after(PollCheckpoint previous, PollResult result) {
    if (result.getError() == null && !result.getNotModified()) {
      return new PollCheckpoint(result.getSequence(), result.getEtag(), result.getLastModified());
    }
    return previous == null ? new PollCheckpoint(result.getSequence(), null, null)
        : new PollCheckpoint(result.getSequence(), previous.etag(), previous.lastModified());
  }
}
