package io.seismo.ingest.poll;

import io.seismo.runtime.net.AddressGuard;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.util.Locale;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Follows a poll's redirects, each hop checked by the address guard, with registration headers kept to one origin. */
final class Redirects {

  private final OkHttpClient client;
  private final AddressGuard guard;
  private final int maxRedirects;

  Redirects(OkHttpClient client, AddressGuard guard, int maxRedirects) {
    this.client = client;
    this.guard = guard;
    this.maxRedirects = maxRedirects;
  }

  /** The hops of one poll: the request of the current one and how many redirects led to it. */
  static final class Hops {
    Request current;
    int redirects;

    Hops(Request first) {
      current = first;
    }
  }

  /** Sends the current hop and follows its redirects, leaving the last hop in {@code hops}. */
  Response execute(Hops hops) throws IOException {
    Request request = hops.current;
    for (int hop = 0; ; hop++) {
      Request current = hops.current;
      checkLiteralAddress(current.url());
      Call call = client.newCall(current);
      Response response = call.execute();
      if (!response.isRedirect()) {
        return response;
      }
      String location = response.header("Location");
      HttpUrl next = location == null ? null : response.request().url().resolve(location);
      response.close();
      if (next == null) {
        throw new ProtocolException("redirect " + response.code() + " without a usable Location");
      }
      if (hop >= maxRedirects) {
        throw new ProtocolException("more than " + maxRedirects + " redirects (last to " + next.redact() + ")");
      }
      Request.Builder builder = current.newBuilder().url(next);
      if (!next.host().equals(current.url().host()) || next.port() != current.url().port()) {
        builder.removeHeader("Authorization").removeHeader("Cookie").removeHeader("Proxy-Authorization");
        for (String name : request.headers().names()) {
          if (!isProtocolHeader(name)) {
            builder.removeHeader(name);   // registration headers may carry secrets: not for another origin
          }
        }
      }
      hops.current = builder.build();
      hops.redirects = hop + 1;
    }
  }

  private static boolean isProtocolHeader(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "accept", "accept-encoding", "user-agent", "if-none-match", "if-modified-since" -> true;
      default -> false;
    };
  }

  private void checkLiteralAddress(HttpUrl url) throws UnknownHostException {
    guard.checkLiteral(url.host());
  }
}
