package io.seismo.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A Server-Sent Events server for the SSE benchmark, run in its own JVM so that its memory is not
 * counted on the client side: one NIO thread holds any number of streams. {@code /idle/...} streams
 * get a comment every 10 s; {@code /events/...} streams share {@code eventsPerSecond} events whose data
 * is the send time in epoch microseconds; {@code /big/...} streams get one 200 KB JSON document as their
 * first event (a snapshot), then comments as idle ones. Prints its port on stdout.
 * Usage: {@code SseServerMain <eventsPerSecond>}.
 */
public final class SseServerMain {

  private static final byte[] HEADERS = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
      + "Cache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: open\n\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SNAPSHOT = ("id: 1\nevent: snapshot\ndata: " + Documents.catalogue(200_000, 1) + "\n\n")
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

  private record Stream(SocketChannel channel, boolean events, StringBuilder request) {}

  private SseServerMain() {}

  public static void main(String[] args) throws IOException {
    int eventsPerSecond = Integer.parseInt(args[0]);
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
    System.out.flush();
    List<Stream> idle = new ArrayList<>();
    List<Stream> events = new ArrayList<>();
    long started = System.nanoTime();
    long sentEvents = 0;
    long nextHeartbeat = System.nanoTime() + 10_000_000_000L;
    int next = 0;
    ByteBuffer read = ByteBuffer.allocate(4096);
    while (true) {
      selector.select(1);
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        if (key.isAcceptable()) {
          SocketChannel channel;
          while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Stream(channel, false, new StringBuilder()));
          }
        } else if (key.isReadable()) {
          Stream stream = (Stream) key.attachment();
          read.clear();
          int n;
          try {
            n = stream.channel().read(read);
          } catch (IOException reset) {
            n = -1;
          }
          if (n < 0) {
            key.cancel();
            stream.channel().close();
            idle.remove(stream);
            events.remove(stream);
            continue;
          }
          if (stream.request().indexOf("\r\n\r\n") >= 0) {
            continue; // already streaming: ignore what the client sends
          }
          stream.request().append(new String(read.array(), 0, n, StandardCharsets.US_ASCII));
          if (stream.request().indexOf("\r\n\r\n") >= 0) {
            boolean wantsEvents = stream.request().toString().startsWith("GET /events");
            write(stream.channel(), HEADERS);
            if (stream.request().toString().startsWith("GET /big")) {
              writeFully(stream.channel(), SNAPSHOT);
            }
            (wantsEvents ? events : idle).add(new Stream(stream.channel(), wantsEvents, stream.request()));
          }
        }
      }
      long now = System.nanoTime();
      if (!events.isEmpty()) {
        long due = (now - started) * eventsPerSecond / 1_000_000_000L;
        for (; sentEvents < due; sentEvents++) {
          Stream stream = events.get(next++ % events.size());
          Instant at = Instant.now();
          long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
          write(stream.channel(), ("id: " + sentEvents + "\nevent: tick\ndata: " + micros + "\n\n")
              .getBytes(StandardCharsets.US_ASCII));
        }
      } else {
        started = now;
        sentEvents = 0;
      }
      if (now > nextHeartbeat) {
        for (Stream stream : idle) {
          write(stream.channel(), HEARTBEAT);
        }
        nextHeartbeat = now + 10_000_000_000L;
      }
    }
  }

  /** Writes all of a large event, waiting for the client to read (bounded: 30 s). */
  private static void writeFully(SocketChannel channel, byte[] bytes) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (buffer.hasRemaining() && System.nanoTime() < deadline) {
        if (channel.write(buffer) == 0) {
          Thread.sleep(1);
        }
      }
    } catch (IOException | InterruptedException closed) {
      // the client went away
    }
  }

  private static void write(SocketChannel channel, byte[] bytes) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      for (int spins = 0; buffer.hasRemaining() && spins < 1000; spins++) {
        channel.write(buffer);
      }
    } catch (IOException closed) {
      // the client went away; its key is cancelled on the next read
    }
  }
}
