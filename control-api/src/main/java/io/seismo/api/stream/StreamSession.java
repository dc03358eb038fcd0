package io.seismo.api.stream;

import io.javalin.http.Context;
import io.seismo.api.error.ProblemException;
import io.seismo.schemas.Change;
import io.seismo.topology.analysis.ContentHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One admitted stream: the snapshot or patches a (re)connecting client needs, then a patch per change and heartbeats. */
final class StreamSession {

  private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

  private final StreamHandler.Source source;
  private final ChangeFeed feed;
  private final OpenStreams streams;
  private final StreamSettings settings;

  StreamSession(StreamHandler.Source source, ChangeFeed feed, OpenStreams streams) {
    this.source = source;
    this.feed = feed;
    this.streams = streams;
    this.settings = streams.settings();
  }

  /** Streams until the client leaves, is cut off or the maximum age passes; then frees {@code lease}. */
  void run(Context ctx, String apiId, StreamAdmission.Lease lease) {
    String authorization = ctx.header("Authorization");
    Thread thread = Thread.currentThread();
    try (lease;
         ChangeFeed.Subscription subscription = feed.subscribe(apiId, settings.maxBufferedBytes());
         StreamConnection connection = streams.connect(apiId, ctx.res().getOutputStream(), subscription,
             () -> closeConnection(ctx, thread))) {
      String position = start(connection, apiId, ctx.header("Last-Event-ID"), authorization);
      subscription.awaitingDocument = position == null;
      while (true) {
        long left = connection.timeLeft().toMillis();
        if (left <= 0) {
          connection.comment("stream closed after " + settings.maxAge() + ": reconnect"
              + (position == null ? "" : " with Last-Event-ID " + position));
          return;
        }
        Object next = subscription.poll(Math.min(settings.heartbeat().toMillis(), left));
        if (subscription.overflowed) {
          try {
            connection.comment("too slow: reconnect" + (position == null ? "" : " with Last-Event-ID " + position));
          } finally {
            connection.cutOff(OpenStreams.Cause.BUFFERED, false);
          }
          return;
        }
        if (next == null) {
          if (position == null) {
            position = snapshot(connection, apiId, authorization).orElse(null); // a missed hint costs a heartbeat
          }
          if (connection.timeLeft().toMillis() > 0) {
            connection.comment("heartbeat");
          }
        } else if (next instanceof ChangeFeed.DocumentAt && position == null) {
          position = snapshot(connection, apiId, authorization).orElse(null); // the first document
        } else if (next instanceof Change change) {
          if (change.getNewHash().equals(position)) {
            continue; // already in the snapshot this client got
          } else if (change.getPatch() != null && change.getPreviousHash() != null
              && change.getPreviousHash().equals(position)) {
            connection.event("patch", change.getPatch(), change.getNewHash());
            position = change.getNewHash();
          } else {
            position = snapshot(connection, apiId, authorization).orElse(position);
          }
        }
        subscription.awaitingDocument = position == null;
      }
    } catch (IOException e) {
      log.debug("stream ended apiId={} reason={}", apiId, e.toString()); // the client left, or was cut off
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ProblemException e) {
      try {
        ctx.res().getOutputStream().write(("event: error\ndata: {\"detail\":\""
            + e.getMessage().replace("\"", "'").replaceAll("[\r\n]", " ") + "\"}\n\n").getBytes(StandardCharsets.UTF_8));
        ctx.res().flushBuffer();
      } catch (IOException | RuntimeException ignored) {
        // the client is gone
      }
    }
  }

  /** Closes the client's connection under a blocked write, which fails the write and ends the stream. */
  private static void closeConnection(Context ctx, Thread thread) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    if (request != null) {
      request.getConnectionMetaData().getConnection().getEndPoint().close();
    } else {
      thread.interrupt();
    }
  }

  /** Sends what a (re)connecting client needs and returns the hash it now holds. */
  private String start(StreamConnection connection, String apiId, String lastEventId, String authorization)
      throws IOException {
    Optional<byte[]> document = source.document(apiId, authorization);
    String current = document.map(ContentHash::of).orElse(null);
    if (lastEventId != null && lastEventId.equals(current)) {
      return current;
    }
    if (lastEventId != null && current != null) {
      List<Change> after = patchesAfter(source.recentNewestFirst(apiId, authorization), lastEventId, current);
      if (after != null) {
        for (Change change : after) {
          connection.event("patch", change.getPatch(), change.getNewHash());
        }
        return current;
      }
    }
    if (document.isEmpty()) {
      return null;
    }
    connection.event("data", new String(document.get(), StandardCharsets.UTF_8), current);
    return current;
  }

  /** The changes after {@code fromHash} up to {@code toHash}, oldest first; null if they do not chain. */
  static List<Change> patchesAfter(List<Change> newestFirst, String fromHash, String toHash) {
    List<Change> chain = new ArrayList<>();
    String expected = toHash;
    for (Change change : newestFirst) {
      if (!change.getNewHash().equals(expected) || change.getPatch() == null) {
        return null;
      }
      chain.addFirst(change);
      if (fromHash.equals(change.getPreviousHash())) {
        return chain;
      }
      expected = change.getPreviousHash();
    }
    return null;
  }

  private Optional<String> snapshot(StreamConnection connection, String apiId, String authorization)
      throws IOException {
    Optional<byte[]> document = source.document(apiId, authorization);
    if (document.isEmpty()) {
      return Optional.empty();
    }
    String hash = ContentHash.of(document.get());
    connection.event("data", new String(document.get(), StandardCharsets.UTF_8), hash);
    return Optional.of(hash);
  }
}
