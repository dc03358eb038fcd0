package io.seismo.ingest.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import javax.net.SocketFactory;

/**
 * Sockets whose reads fail with a {@link java.net.SocketTimeoutException} after a gap with no data, enforced by
 * the socket's own SO_TIMEOUT instead of OkHttp's watchdog; see docs/architecture.md ("Ingest").
 */
public final class ReadGapSocketFactory extends SocketFactory {

  private final int gapMillis;

  public ReadGapSocketFactory(Duration gap) {
    this.gapMillis = Math.toIntExact(Math.max(1, gap.toMillis()));
  }

  @Override
  public Socket createSocket() throws SocketException {
    return new GapSocket(gapMillis);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    if (local != null) {
      socket.bind(local);
    }
    socket.connect(remote);
    return socket;
  }

  private static final class GapSocket extends Socket {

    private final int gapMillis;

    GapSocket(int gapMillis) throws SocketException {
      this.gapMillis = gapMillis;
      super.setSoTimeout(gapMillis);
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
      super.setSoTimeout(timeout == 0 ? gapMillis : Math.min(timeout, gapMillis));
    }
  }
}
