package io.seismo.api.route;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.seismo.api.error.ProblemException;
import io.seismo.schemas.Registration;
import java.util.Locale;

/**
 * What a write must carry: a JSON body (415 otherwise) and, to change a registration, an {@code If-Match}
 * naming its current ETag (428 without one where it is required, 412 for another).
 */
final class Preconditions {

  private Preconditions() {}

  /** Writes carry JSON: application/json (or a +json type), any charset parameter being UTF-8. 415 otherwise. */
  static void requireJson(Context ctx) {
    String contentType = ctx.header(Header.CONTENT_TYPE);
    String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
    String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
    boolean json = mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    for (int i = 1; i < parts.length && json; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].strip().equalsIgnoreCase("charset") && (parameter.length < 2
          || !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
        json = false;
      }
    }
    if (!json) {
      throw ProblemException.unsupportedMediaType("send the registration as Content-Type: application/json, not "
          + (contentType == null ? "without a Content-Type"
              : "'" + (contentType.length() > 100 ? contentType.substring(0, 100) + "…" : contentType) + "'"));
    }
  }

  /** 428 without If-Match, 412 when it does not name {@code current}. */
  static void requireMatch(Context ctx, Registration current) {
    String ifMatch = ctx.header(Header.IF_MATCH);
    if (ifMatch == null) {
      throw ProblemException.preconditionRequired(
          "send If-Match: " + etag(current) + " (the ETag of the registration you are changing)");
    }
    checkMatch(ctx, current);
  }

  /** 412 when an If-Match is sent and does not name {@code current}; nothing without one. */
  static void checkMatch(Context ctx, Registration current) {
    String ifMatch = ctx.header(Header.IF_MATCH);
    if (ifMatch != null && !matches(ifMatch, etag(current))) {
      throw ProblemException.preconditionFailed(
          "the registration changed: its ETag is now " + etag(current) + ", not " + ifMatch.strip());
    }
  }

  /**
   * RFC 9110 13.1.1: If-Match is {@code *} or a comma-separated list of entity tags, compared strongly —
   * any member equal to the current (strong) ETag matches; a weak tag {@code W/"1"} never does.
   */
  static boolean matches(String ifMatch, String current) {
    if (ifMatch.strip().equals("*")) {
      return true;
    }
    for (String member : ifMatch.split(",")) {
      if (member.strip().equals(current)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The version and the creation time: versions start again at 1 when an apiId is deleted and registered
   * again, so the version alone would let an If-Match of the deleted registration change the new one.
   */
  static String etag(Registration registration) {
    return "\"" + registration.getVersion() + "-" + registration.getCreatedAt().toEpochMilli() + "\"";
  }
}
