package io.seismo.api.stream;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.RecentChanges;
import io.seismo.api.query.StoreQueryService;
import io.seismo.schemas.topic.RegistrationTable;
import io.seismo.schemas.Change;
import io.seismo.topology.analysis.ContentHash;
import io.seismo.topology.store.StoreNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@code GET /apis/{id}/stream}: the API as a Streamdata.io-style event stream that any EventSource
 * client can consume. First a {@code data} event with the current document, then a {@code patch}
 * event (RFC 6902) per change, each with id = the content hash of the document it produces; a client
 * that applies the patches in order holds exactly the analysed document. A client reconnecting with
 * {@code Last-Event-ID} gets the patches after that id from the recent changes, or a fresh snapshot
 * when they are gone. A comment every heartbeat interval keeps proxies from closing the connection.
 */
public final class StreamHandler {


  private final TokenAuth auth;
  private final RegistrationTable table;
  private final StoreQueryService queries;
  private final RecentChanges recentChanges;
  private final ChangeFeed feed;
  private final Duration heartbeat;

  public StreamHandler(TokenAuth auth, RegistrationTable table, StoreQueryService queries, ChangeFeed feed,
                       Duration heartbeat) {
    this.auth = auth;
    this.table = table;
    this.queries = queries;
    this.recentChanges = new RecentChanges(queries);
    this.feed = feed;
    this.heartbeat = heartbeat;
  }

  /** Runs before the stream opens, so refusals are still problem+json answers. */
  public void check(Context ctx) {
    auth.requireRead(ctx);
    String apiId = ctx.pathParam("id");
    if (!table.loaded()) {
      throw ProblemException.unavailable("registrations are still loading; retry shortly");
    }
    if (table.get(apiId).isEmpty()) {
      throw ProblemException.notFound("no API with apiId '" + apiId + "'");
    }
  }

  public void stream(SseClient client) {
    Context ctx = client.ctx();
    String apiId = ctx.pathParam("id");
    String authorization = ctx.header("Authorization");
    try (ChangeFeed.Subscription subscription = feed.subscribe(apiId)) {
      client.onClose(subscription::close);
      String position = start(client, apiId, ctx.header("Last-Event-ID"), authorization);
      while (!client.terminated()) {
        Change change = subscription.queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        if (subscription.overflowed) {
          client.sendComment("too slow: reconnect with Last-Event-ID " + position);
          client.close();
          return;
        }
        if (change == null) {
          client.sendComment("heartbeat");
        } else if (change.getNewHash().equals(position)) {
          continue; // already in the snapshot this client got
        } else if (change.getPatch() != null && change.getPreviousHash() != null && change.getPreviousHash().equals(position)) {
          client.sendEvent("patch", change.getPatch(), change.getNewHash());
          position = change.getNewHash();
        } else {
          position = snapshot(client, apiId, authorization).orElse(position);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ProblemException e) {
      client.sendEvent("error", "{\"detail\":\"" + e.getMessage().replace("\"", "'") + "\"}", null);
    }
  }

  /** Sends what a (re)connecting client needs and returns the hash it now holds. */
  private String start(SseClient client, String apiId, String lastEventId, String authorization) {
    Optional<byte[]> document = queries.get(StoreNames.DOCUMENTS, apiId, Serdes.ByteArray(), authorization);
    String current = document.map(ContentHash::of).orElse(null);
    if (lastEventId != null && lastEventId.equals(current)) {
      return current;
    }
    if (lastEventId != null && current != null) {
      List<Change> recent = recentChanges.newestFirst(apiId, authorization);
      List<Change> after = patchesAfter(recent, lastEventId, current);
      if (after != null) {
        for (Change change : after) {
          client.sendEvent("patch", change.getPatch(), change.getNewHash());
        }
        return current;
      }
    }
    return document.map(bytes -> {
      client.sendEvent("data", new String(bytes, StandardCharsets.UTF_8), current);
      return current;
    }).orElse(null);
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

  private Optional<String> snapshot(SseClient client, String apiId, String authorization) {
    return queries.get(StoreNames.DOCUMENTS, apiId, Serdes.ByteArray(), authorization).map(bytes -> {
      String hash = ContentHash.of(bytes);
      client.sendEvent("data", new String(bytes, StandardCharsets.UTF_8), hash);
      return hash;
    });
  }
}
