package io.seismo.api.error;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers (a request it refuses before any route runs: 414 URI too long, 431 headers too
 * large, 400 malformed request line, header or URI encoding) as problem+json in UTF-8 rather than
 * Jetty's HTML page. The detail says what was wrong in general terms: nothing of the request (which
 * may hold a token) is echoed.
 */
public final class JettyProblemHandler extends ErrorHandler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 500;
    String json = "{\"type\":\"https://seismo.io/problems/" + type(status) + "\",\"title\":\""
        + HttpStatus.getMessage(status) + "\",\"status\":" + status + ",\"detail\":\"" + detail(status) + "\"}";
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  private static String type(int status) {
    return switch (status) {
      case 400 -> "malformed-request";
      case 414 -> "uri-too-long";
      case 431 -> "headers-too-large";
      default -> "http-" + status;
    };
  }

  private static String detail(int status) {
    return switch (status) {
      case 400 -> "the request is not valid HTTP (request line, header syntax or URI encoding)";
      case 414 -> "the request URI is too long";
      case 431 -> "the request headers are too large";
      default -> "the server could not handle the request (" + HttpStatus.getMessage(status) + ")";
    };
  }
}
