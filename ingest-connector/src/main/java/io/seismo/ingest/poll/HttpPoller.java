package io.seismo.ingest.poll;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.net.Failures;
import io.seismo.ingest.net.GuardedDns;
import io.seismo.ingest.net.ReadGapSocketFactory;
import io.seismo.ingest.net.RetryAfter;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.RequestHeaders;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.SampleError;
import java.io.IOException;
import java.net.Proxy;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Performs one poll of one API and measures it faithfully: latency, status, header and body bytes as
 * received and decoded, validators, and a bounded copy of the body. Every outcome, including refusal
 * by the address guard, becomes a {@link PollResult}; this class never throws for an upstream fault.
 */
public final class HttpPoller {

  private final OkHttpClient client;
  private final Redirects redirects;
  private final SecretResolver secrets;
  private final long maxBodyBytes;
  private final Clock clock;

  public HttpPoller(IngestConfig config, AddressGuard guard, SecretResolver secrets, Clock clock) {
    this.secrets = secrets;
    this.clock = clock;
    this.maxBodyBytes = config.maxBodyBytes();
    this.client = new OkHttpClient.Builder()
        .dns(new GuardedDns(Dns.SYSTEM, guard))
        // keep connections to many upstreams warm: OkHttp's default keeps only 5 idle connections
        .connectionPool(new ConnectionPool(config.idleConnections(), 2, TimeUnit.MINUTES))
        .proxy(Proxy.NO_PROXY)
        .followRedirects(false)     // followed here, so each hop is bounded and guarded
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        // the gap between two reads is the sockets' own timeout (see ReadGapSocketFactory for why);
        // a write of a small request cannot stall longer than the call timeout allows
        .socketFactory(new ReadGapSocketFactory(config.readTimeout()))
        // HTTP/1.1 only: an idle HTTP/2 connection's reader would trip that socket timeout between polls
        .protocols(List.of(Protocol.HTTP_1_1))
        .readTimeout(0, TimeUnit.MILLISECONDS)
        .writeTimeout(0, TimeUnit.MILLISECONDS)
        .callTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .eventListenerFactory(PhaseTimer.FACTORY)
        .build();
    this.redirects = new Redirects(client, guard, config.maxRedirects());
  }

  /** The guarded client, for connections that share its pool (SSE streams derive theirs from it). */
  public OkHttpClient client() {
    return client;
  }

  /** What a poll needs to know: the target, its headers and the validators of the last response. */
  public record PollRequest(String apiId, long sequence, String url, Map<String, String> headers,
                            String etag, String lastModified) {}

  /** The recorded result, and how long the upstream asked us to wait (429 / 503 Retry-After). */
  public record Polled(PollResult result, Optional<Duration> retryAfter) {}

  public Polled poll(PollRequest request) {
    Instant requestedAt = clock.instant();
    long started = System.nanoTime();
    PollResult.Builder result = PollResult.newBuilder()
        .setApiId(request.apiId())
        .setSequence(request.sequence())
        .setRequestedAt(requestedAt)
        .setLatencyMs(0);
    PhaseTimer timer = new PhaseTimer();
    Redirects.Hops hops = null;
    try {
      Request.Builder http = new Request.Builder().url(request.url()).get()
          .tag(PhaseTimer.class, timer)
          .header("Accept", "application/json, */*;q=0.5")
          .header("Accept-Encoding", "gzip")
          .header("User-Agent", "Seismo/0.1 (+https://github.com/seismo)");
      RequestHeaders.apply(http::header, request.headers(), secrets);
      if (request.etag() != null) {
        http.header("If-None-Match", request.etag());
      }
      if (request.lastModified() != null) {
        http.header("If-Modified-Since", request.lastModified());
      }
      hops = new Redirects.Hops(http.build());
      try (Response response = redirects.execute(hops)) {
        record(response, result);
        logRequest(result, hops, request, timer);
        result.setLatencyMs(elapsedMs(started));
        return new Polled(result.build(), RetryAfter.of(response));
      }
    } catch (SecretResolver.SecretException | RequestHeaders.UnsendableHeaderException e) {
      result.setError(new SampleError(ErrorCategory.CONFIG, e.getMessage())); // names a header or variable, no value
    } catch (IllegalArgumentException e) {
      result.setError(new SampleError(ErrorCategory.CONFIG, "bad request: " + Failures.describe(e)));
    } catch (IOException e) {
      result.setError(Failures.sampleError(e));
    }
    if (hops != null) {       // the request went (or was about to go) out: what it carried and how far it got
      logRequest(result, hops, request, timer);
    }
    result.setLatencyMs(elapsedMs(started));
    return new Polled(result.build(), Optional.empty());
  }

  /** What the execution log shows of the request: the last hop's headers, the redirects, the phases. */
  private static void logRequest(PollResult.Builder result, Redirects.Hops hops, PollRequest request, PhaseTimer timer) {
    result.setRequestHeaders(LoggedHeaders.sent(hops.current.headers(), request.headers()))
        .setRedirects(hops.redirects)
        .setTimings(timer.timings());
  }

  private void record(Response response, PollResult.Builder result) throws IOException {
    result.setHttpStatus(response.code())
        .setHeaderBytes(headerBytes(response))
        .setContentType(response.header("Content-Type"))
        .setContentEncoding(response.header("Content-Encoding"))
        .setEtag(response.header("ETag"))
        .setLastModified(response.header("Last-Modified"))
        .setNotModified(response.code() == 304)
        .setResponseHeaders(LoggedHeaders.received(response.headers()));
    ResponseBody body = response.body();
    BoundedBody read = BoundedBody.read(body.byteStream(), response.header("Content-Encoding"),
        contentLength(response), maxBodyBytes);
    result.setWireBodyBytes(read.wireBytes())
        .setBodyBytes(read.decodedBytes())
        .setTruncated(read.truncated())
        .setBody(read.bytes().length == 0 && response.code() == 304 ? null : ByteBuffer.wrap(read.bytes()));
    if (read.truncated()) {
      result.setError(new SampleError(ErrorCategory.TOO_LARGE,
          "body larger than " + maxBodyBytes + " bytes; recorded truncated"));
    } else if (response.code() >= 400) {
      result.setError(new SampleError(ErrorCategory.HTTP_STATUS, "HTTP " + response.code()
          + (response.message().isEmpty() ? "" : " " + response.message())));
    }
  }

  private static long contentLength(Response response) {
    String value = response.header("Content-Length");
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Size of the status line and headers as HTTP/1.1 text: what they cost on the wire uncompressed. */
  static long headerBytes(Response response) {
    long bytes = "HTTP/1.1 ".length() + 3 + 1 + response.message().length() + 2;
    Headers headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      bytes += headers.name(i).length() + 2 + headers.value(i).length() + 2;
    }
    return bytes + 2;
  }

  private static long elapsedMs(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
