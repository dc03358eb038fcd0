package io.seismo.topology.analysis;

/**
 * What one sample would cost on the wire when polled, polled conditionally, or streamed (SSE + JSON Patch),
 * from measured sizes; the model is in docs/architecture.md.
 */
public final class TransferCost {

  /** {@code event: patch\nid: <20 digits>\ndata: \n\n}: the SSE framing around one event. */
  public static final long SSE_EVENT_FRAMING = 40;
  /** {@code :\n\n} every {@link #HEARTBEAT_INTERVAL_MS}. */
  public static final long HEARTBEAT_BYTES = 3;
  public static final long HEARTBEAT_INTERVAL_MS = 30_000;

  private TransferCost() {}

  /** The cost of one sample in the three models. */
  public record Cost(long polled, long conditional, long streamed) {}

  public static Cost ofFailure(long transferred) {
    return new Cost(transferred, transferred, transferred);
  }

  /**
   * @param headerBytes          response headers of this sample
   * @param fullWireBodyBytes    body as received, or for a 304 the last full body as received
   * @param notModified          this sample was a 304
   * @param analysis             the document analysis, null for a 304
   * @param sinceLastSampleMs    time since the previous sample (heartbeats)
   */
  public static Cost of(long headerBytes, long fullWireBodyBytes, boolean notModified,
                        DocumentAnalyzer.Analysis analysis, long sinceLastSampleMs) {
    long polled = headerBytes + fullWireBodyBytes;
    long heartbeats = HEARTBEAT_BYTES * Math.max(0, sinceLastSampleMs) / HEARTBEAT_INTERVAL_MS;
    if (notModified || (analysis != null && !analysis.first() && !analysis.changed())) {
      return new Cost(polled, headerBytes, heartbeats);
    }
    if (analysis == null || analysis.first()) {
      long snapshot = analysis == null ? fullWireBodyBytes : analysis.documentBytes();
      return new Cost(polled, polled, headerBytes + SSE_EVENT_FRAMING + snapshot);
    }
    long payload = analysis.patch() != null ? analysis.patchBytes() : analysis.documentBytes();
    return new Cost(polled, polled, SSE_EVENT_FRAMING + payload + heartbeats);
  }
}
