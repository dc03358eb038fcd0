package io.seismo.ingest.sse;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Records when bytes last arrived on a stream, comments included: okhttp-sse does not surface SSE
 * comments (the usual heartbeats), so read-idle detection watches the bytes instead. The request
 * carries an {@link AtomicLong} tag that this network interceptor updates on every read.
 */
final class ActivityInterceptor implements Interceptor {

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    AtomicLong lastActivity = chain.request().tag(AtomicLong.class);
    ResponseBody body = response.body();
    if (lastActivity == null) {
      return response;
    }
    BufferedSource tracked = Okio.buffer(new ForwardingSource(body.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        long read = super.read(sink, byteCount);
        if (read > 0) {
          lastActivity.set(System.nanoTime());
        }
        return read;
      }
    });
    return response.newBuilder().body(ResponseBody.create(tracked, body.contentType(), body.contentLength())).build();
  }
}
