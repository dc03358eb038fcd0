package io.seismo.ingest.net;

import io.seismo.schemas.ErrorCategory;
import io.seismo.schemas.SampleError;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Turns a failed connection into a sample error with a category a person can act on. */
public final class Failures {

  private Failures() {}

  public static SampleError sampleError(Throwable error) {
    return new SampleError(categorize(error), describe(error));
  }

  public static ErrorCategory categorize(Throwable e) {
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

  public static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

}
