package io.seismo.ingest.net;

import io.seismo.runtime.net.BlockedAddressException;
import io.seismo.runtime.net.RequestHeaders;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.SampleError;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Turns a failed connection into a sample error with a category a person can act on. */
public final class Failures {

  private Failures() {}

  /** OkHttp's refusal of a header value: "Unexpected char 0x07 at 8 in X-Key value: <the value>". */
  private static final Pattern OKHTTP_BAD_VALUE =
      Pattern.compile("Unexpected char \\S+ at \\d+ in (\\S+) value.*", Pattern.DOTALL);

  public static SampleError sampleError(Throwable error) {
    return new SampleError(categorize(error), describe(error));
  }

  public static ErrorCategory categorize(Throwable e) {
    if (e instanceof RequestHeaders.UnsendableHeaderException || e instanceof SecretResolver.SecretException
        || headerValueRefused(e) != null) {
      return ErrorCategory.CONFIG;
    }
    if (e instanceof BlockedAddressException) {
      return ErrorCategory.BLOCKED;
    }
    if (e instanceof UnknownHostException) {
      return ErrorCategory.DNS;
    }
    if (e instanceof SSLException) {
      return ErrorCategory.TLS;
    }
    if (e instanceof SocketTimeoutException
        || (e instanceof InterruptedIOException && String.valueOf(e.getMessage()).contains("timeout"))) {
      return ErrorCategory.TIMEOUT;
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof SocketException) {
      return ErrorCategory.CONNECT;
    }
    return ErrorCategory.PROTOCOL;
  }

  /**
   * A message for a record or a log line. Never a header value: an exception that carries one (OkHttp's
   * IllegalArgumentException for a bad character names the header and then shows its value) becomes a
   * fixed text naming the header.
   */
  public static String describe(Throwable e) {
    if (e instanceof RequestHeaders.UnsendableHeaderException || e instanceof SecretResolver.SecretException) {
      return e.getMessage();
    }
    String header = headerValueRefused(e);
    if (header != null) {
      return RequestHeaders.unsendableMessage(header);
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The header named by an OkHttp refusal of a header value anywhere in the cause chain, or null. */
  private static String headerValueRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IllegalArgumentException && t.getMessage() != null) {
        Matcher matcher = OKHTTP_BAD_VALUE.matcher(t.getMessage());
        if (matcher.matches()) {
          return matcher.group(1);
        }
      }
    }
    return null;
  }

}
