package io.seismo.ingest.sse;

import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.RequestHeaders;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.Registration;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** The request that opens (or resumes) one API's event stream. */
final class StreamRequest {

  private StreamRequest() {
  }

  /** The stream request of the registration, checked by the guard, with its headers and the watch as tag. */
  static Request of(Registration registration, AddressGuard guard, SecretResolver secrets, StreamWatch watch,
                    String lastEventId) throws IOException {
    HttpUrl url = HttpUrl.get(registration.getUrl());
    guard.checkLiteral(url.host());
    Request.Builder request = new Request.Builder().url(url)
        .header("Accept", "text/event-stream")
        .header("Cache-Control", "no-cache")
        .tag(StreamWatch.class, watch);
    RequestHeaders.apply(request::header, registration.getHeaders(), secrets);
    return withLastEventId(request.build(), lastEventId);
  }

  /**
   * The request with {@code Last-Event-ID} as browsers send it: the id's UTF-8 bytes (an id is any text
   * the upstream chose, not only ASCII, which OkHttp's checked setter refuses). An id with a control
   * character cannot be a header value: it is left out and the stream starts afresh.
   */
  static Request withLastEventId(Request request, String id) {
    if (id == null || id.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
      return request;
    }
    return request.newBuilder().headers(request.headers().newBuilder().removeAll("Last-Event-ID")
        .addUnsafeNonAscii("Last-Event-ID", id).build()).build();
  }
}
