package io.seismo.ingest.sse;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Watches an SSE stream's bytes for what okhttp-sse does not surface: comments (the usual
 * heartbeats), so read-idle detection sees every byte, and the {@code retry:} field. The request
 * carries a {@link StreamWatch} tag that this network interceptor updates on every read.
 */
final class ActivityInterceptor implements Interceptor {

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    StreamWatch watch = chain.request().tag(StreamWatch.class);
    ResponseBody body = response.body();
    if (watch == null) {
      return response;
    }
    BufferedSource tracked = Okio.buffer(new ForwardingSource(body.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        long read = super.read(sink, byteCount);
        if (read > 0) {
          watch.lastActivityNanos.set(System.nanoTime());
          Buffer arrived = new Buffer();
          sink.copyTo(arrived, sink.size() - read, read);
          byte[] bytes = arrived.readByteArray();
          watch.scan(bytes, bytes.length);
        }
        return read;
      }
    });
    return response.newBuilder().body(ResponseBody.create(tracked, body.contentType(), body.contentLength())).build();
  }
}
