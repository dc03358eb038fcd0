package io.seismo.ingest.poll;

import io.seismo.schemas.PhaseTimings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Where the time of one poll went, from OkHttp's call events: DNS, TCP connect, TLS, waiting for the
 * first byte, download. One timer per poll, carried as the request's tag so that the client's single
 * {@link #FACTORY} finds it; the redirect hops of a poll add up. Events of a synchronous call arrive on
 * the polling thread, one call at a time.
 */
final class PhaseTimer extends EventListener {

  /** The listener of each call: the timer its request carries, or none (SSE connections, other calls). */
  static final EventListener.Factory FACTORY = call -> {
    PhaseTimer timer = call.request().tag(PhaseTimer.class);
    return timer == null ? EventListener.NONE : timer;
  };

  private long dns = -1;
  private long connect = -1;
  private long tls = -1;
  private long firstByte = -1;
  private long download = -1;

  private long dnsStart;
  private long connectStart;
  private boolean connecting;
  private long tlsStart;
  private long requestSent;
  private long responseStart;

  PhaseTimings timings() {
    return new PhaseTimings(millis(dns), millis(connect), millis(tls), millis(firstByte), millis(download));
  }

  private static long millis(long nanos) {
    return nanos < 0 ? -1 : nanos / 1_000_000;
  }

  private static long add(long total, long nanos) {
    return Math.max(0, total) + Math.max(0, nanos);
  }

  @Override
  public void dnsStart(Call call, String domainName) {
    dnsStart = System.nanoTime();
  }

  @Override
  public void dnsEnd(Call call, String domainName, List<InetAddress> addresses) {
    dns = add(dns, System.nanoTime() - dnsStart);
  }

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    connectStart = System.nanoTime();
    connecting = true;
  }

  @Override
  public void secureConnectStart(Call call) {
    tlsStart = System.nanoTime();
    connect = add(connect, tlsStart - connectStart); // TCP ends where TLS begins
    connecting = false;
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    tls = add(tls, System.nanoTime() - tlsStart);
  }

  @Override
  public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
    finishConnect();
  }

  @Override
  public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
                            IOException ioe) {
    finishConnect();
  }

  private void finishConnect() {
    if (connecting) {                     // plain TCP: no TLS phase split it
      connect = add(connect, System.nanoTime() - connectStart);
      connecting = false;
    }
  }

  @Override
  public void requestHeadersEnd(Call call, Request request) {
    requestSent = System.nanoTime();
  }

  @Override
  public void responseHeadersStart(Call call) {
    responseStart = System.nanoTime();
    firstByte = add(firstByte, responseStart - requestSent);
  }

  @Override
  public void responseBodyEnd(Call call, long byteCount) {
    download = add(download, System.nanoTime() - responseStart);
  }

  @Override
  public void responseHeadersEnd(Call call, Response response) {
    // a response without a body (304, HEAD) has no responseBodyEnd: its download is its headers
    if (download < 0) {
      download = 0;
    }
  }
}
