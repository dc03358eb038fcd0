package io.seismo.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP forwarder from a loopback port to a broker: lets a test start a client against a port where
 * nothing listens yet and make Kafka "appear" there later (the client then uses the broker's own address).
 */
public final class TcpForwarder {

  private TcpForwarder() {}

  /** Listens on loopback {@code port} and forwards every connection to the first address of {@code bootstrap}. */
  public static ServerSocket forward(int port, String bootstrap) throws IOException {
    String target = bootstrap.split(",")[0];
    String host = target.substring(0, target.lastIndexOf(':'));
    int targetPort = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket in = server.accept();
          Socket out = new Socket(host, targetPort);
          Thread.ofVirtual().start(() -> pipe(in, out));
          Thread.ofVirtual().start(() -> pipe(out, in));
        } catch (IOException closed) {
          return;
        }
      }
    });
    return server;
  }

  private static void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException ignored) {
      // either side closed
    }
  }
}
