package io.seismo.ingest.poll;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads a response body without ever holding more than {@code maxBytes} decoded bytes: counts bytes as
 * received (compressed) and as decoded, and stops at the limit, so an endless body or a gzip bomb
 * costs at most the limit in memory.
 */
record BoundedBody(byte[] bytes, long wireBytes, long decodedBytes, boolean truncated) {

  static BoundedBody read(InputStream raw, String contentEncoding, long contentLength, long maxBytes) throws IOException {
    CountingInputStream wire = new CountingInputStream(raw);
    PushbackInputStream peek = new PushbackInputStream(wire, 1);
    int first = peek.read();
    if (first == -1) { // no body (a 304 or 204 may still name the 200's Content-Encoding): nothing to decode
      return new BoundedBody(new byte[0], 0, 0, false);
    }
    peek.unread(first);
    boolean gzip = contentEncoding != null && contentEncoding.toLowerCase(Locale.ROOT).contains("gzip");
    try (InputStream decoded = gzip ? new GZIPInputStream(peek, 8192) : peek) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(maxBytes, 64 * 1024));
      byte[] buffer = new byte[8192];
      long total = 0;
      int n;
      while ((n = decoded.read(buffer)) != -1) {
        if (total + n > maxBytes) {
          out.write(buffer, 0, (int) (maxBytes - total));
          long knownSize = !gzip && contentLength > 0 ? contentLength : total + n;
          long wireSize = contentLength > 0 ? contentLength : wire.count;
          return new BoundedBody(out.toByteArray(), wireSize, knownSize, true);
        }
        out.write(buffer, 0, n);
        total += n;
      }
      return new BoundedBody(out.toByteArray(), wire.count, total, false);
    }
  }

  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
