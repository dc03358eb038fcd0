package io.seismo.topology.analysis;

/**
 * What one sample would cost on the wire under three ways of following an API — the seeds' question
 * "how much do caching and streaming save over polling", answered per sample from measured sizes:
 *
 * <ul>
 *   <li><b>polled</b>: plain polling, every request answered in full (headers + body as received; a
 *       304 answer is priced at the last full body, as a plain poll would have got it).</li>
 *   <li><b>conditional</b>: polling with If-None-Match / If-Modified-Since: an unchanged payload costs
 *       only the response headers (a 304); a changed one costs headers + body.</li>
 *   <li><b>streamed</b>: Server-Sent Events with JSON Patch (the Streamdata.io model): the first
 *       snapshot once (headers + framed document), then one framed patch per change (the whole
 *       document when it is not JSON), and a heartbeat comment every 30 s in between.</li>
 * </ul>
 * Failed samples cost what they cost in every model (a stream would reconnect).
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
