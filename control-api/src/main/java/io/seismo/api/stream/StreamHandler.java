package io.seismo.api.stream;

import io.javalin.http.Context;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.RecentChanges;
import io.seismo.api.query.StoreQueryService;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.Change;
import io.seismo.topology.store.StoreNames;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@code GET /apis/{id}/stream}: checks, negotiates ({@code Accept}) and admits a Streamdata.io-style event
 * stream of the API's document, then hands it to a {@link StreamSession}; HEAD answers what GET would.
 */
public final class StreamHandler {

  /** Where the stream reads registrations and documents (the registration table and the stores in production). */
  public interface Source {
    boolean loaded();

    boolean exists(String apiId);

    Optional<byte[]> document(String apiId, String authorization);

    List<Change> recentNewestFirst(String apiId, String authorization);

    static Source of(RegistrationTable table, StoreQueryService queries) {
      RecentChanges recentChanges = new RecentChanges(queries);
      return new Source() {
        @Override
        public boolean loaded() {
          return table.loaded();
        }

        @Override
        public boolean exists(String apiId) {
          return table.get(apiId).isPresent();
        }

        @Override
        public Optional<byte[]> document(String apiId, String authorization) {
          return queries.get(StoreNames.DOCUMENTS, apiId, Serdes.ByteArray(), authorization);
        }

        @Override
        public List<Change> recentNewestFirst(String apiId, String authorization) {
          return recentChanges.newestFirst(apiId, authorization);
        }
      };
    }
  }

  private final TokenAuth auth;
  private final Source source;
  private final OpenStreams streams;
  private final StreamSession session;

  public StreamHandler(TokenAuth auth, Source source, ChangeFeed feed, OpenStreams streams) {
    this.auth = auth;
    this.source = source;
    this.streams = streams;
    this.session = new StreamSession(source, feed, streams);
  }

  /** Checks, negotiates and admits the request (refusals are problem+json answers), then streams. */
  public void handle(Context ctx) {
    String apiId = admissible(ctx);
    StreamAdmission.Lease lease = streams.admit(auth.caller(ctx));
    try {
      HttpServletResponse response = ctx.res();
      response.setStatus(200);
      response.setCharacterEncoding("UTF-8");
      response.setContentType("text/event-stream");
      response.setHeader("Cache-Control", "no-cache");
      response.setHeader("X-Accel-Buffering", "no");
      response.flushBuffer();
      ctx.async(config -> config.timeout = 0, () -> session.run(ctx, apiId, lease));
    } catch (IOException e) {
      lease.close(); // the client left before the stream began
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /** HEAD: what GET would answer (401, 404, 406, 429, 503 or 200 text/event-stream), without opening a stream. */
  public void head(Context ctx) {
    admissible(ctx);
    streams.checkAdmissible(auth.caller(ctx));
    ctx.status(200).contentType("text/event-stream;charset=utf-8").header("Cache-Control", "no-cache");
  }

  /**
   * {@code GET /apis/{id}/stream/clients}: what this instance's stream actually sent for the API (every byte
   * written to its clients, heartbeats included) since it started, and each open client's share; the
   * modelled streaming cost is in the API's status and windows ({@code efficiency.bytesStreamed}).
   */
  public void clients(Context ctx) {
    String apiId = ctx.pathParam("id");
    if (!source.exists(apiId)) {
      throw ProblemException.notFound("no API with apiId '" + apiId + "'");
    }
    StreamTraffic.Sent sent = streams.sent(apiId);
    ctx.json(Map.of("apiId", apiId, "since", sent.since(), "connections", sent.connections(), "events", sent.events(),
        "bytes", sent.bytes(), "open", sent.open()));
  }

  /** The checks before a stream opens (the token is checked by the route's role); returns the apiId. */
  private String admissible(Context ctx) {
    String apiId = ctx.pathParam("id");
    if (!source.loaded()) {
      throw ProblemException.unavailable("registrations are still loading; retry shortly");
    }
    if (!source.exists(apiId)) {
      throw ProblemException.notFound("no API with apiId '" + apiId + "'");
    }
    if (!acceptsEventStream(ctx.header("Accept"))) {
      throw new ProblemException(406, "not-acceptable", "Not acceptable",
          "this resource is only available as text/event-stream; send 'Accept: text/event-stream' (or no Accept)",
          List.of(), Optional.empty());
    }
    return apiId;
  }

  /**
   * Whether an Accept header admits {@code text/event-stream}: absent or blank does (what EventSource clients
   * and curl send is {@code text/event-stream} or {@code *}{@code /*}), else a range {@code text/event-stream},
   * {@code text/*} or {@code *}{@code /*} with a q above 0.
   */
  static boolean acceptsEventStream(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      if (!type.equals("text/event-stream") && !type.equals("text/*") && !type.equals("*/*")) {
        continue;
      }
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
        if (parameter.startsWith("q=")) {
          try {
            q = Double.parseDouble(parameter.substring(2).strip());
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (q > 0) {
        return true;
      }
    }
    return false;
  }
}
