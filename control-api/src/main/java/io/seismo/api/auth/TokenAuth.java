package io.seismo.api.auth;

import io.javalin.http.Context;
import io.seismo.api.error.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-token checks. Tokens are kept only as SHA-256 digests and compared in constant time; they
 * are never logged or echoed. Writes need a write token; reads need a read or write token when read
 * tokens are configured, and are open otherwise. A 401 carries an RFC 6750 {@code WWW-Authenticate}
 * challenge.
 */
public final class TokenAuth {

  private final List<byte[]> writeDigests;
  private final List<byte[]> readDigests;

  public TokenAuth(List<String> writeTokens, List<String> readTokens) {
    this.writeDigests = writeTokens.stream().map(TokenAuth::digest).toList();
    this.readDigests = readTokens.stream().map(TokenAuth::digest).toList();
  }

  public void requireWrite(Context ctx) {
    byte[] presented = presented(ctx);
    if (index(presented, writeDigests) < 0) {
      if (index(presented, readDigests) >= 0) {
        throw ProblemException.forbidden("this token may read but not write");
      }
      throw ProblemException.unauthorized("a valid bearer token with write access is required", true);
    }
  }

  public void requireRead(Context ctx) {
    if (readDigests.isEmpty()) {
      return;
    }
    byte[] presented = presented(ctx);
    if (index(presented, readDigests) < 0 && index(presented, writeDigests) < 0) {
      throw ProblemException.unauthorized("a valid bearer token is required", true);
    }
  }

  /**
   * Who the request authenticates as, for the rate limiter: {@code write-N} or {@code read-N} (the
   * token's position in its configured list), the same however the header is spelled; empty without a
   * valid token. Never a token or its digest.
   */
  public Optional<String> principal(Context ctx) {
    String token = bearer(ctx.header("Authorization"));
    if (token == null) {
      return Optional.empty();
    }
    byte[] presented = digest(token);
    int write = index(presented, writeDigests);
    if (write >= 0) {
      return Optional.of("write-" + write);
    }
    int read = index(presented, readDigests);
    return read >= 0 ? Optional.of("read-" + read) : Optional.empty();
  }

  /**
   * Who is calling, for per-caller limits (streams): the {@link #principal} a valid token authenticates as,
   * else the client address — a forged or absent token does not make a new caller. Never the token itself.
   */
  public String caller(Context ctx) {
    return principal(ctx).map(principal -> "token:" + principal).orElseGet(() -> "address:" + RateLimiter.addressKey(ctx.ip()));
  }

  private static byte[] presented(Context ctx) {
    String token = bearer(ctx.header("Authorization"));
    if (token == null) {
      throw ProblemException.unauthorized("missing 'Authorization: Bearer <token>' header");
    }
    return digest(token);
  }

  /** The token of an {@code Authorization: Bearer <token>} header (scheme in any case), or null. */
  private static String bearer(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer", 0, 6)
        || !Character.isWhitespace(header.charAt(6))) {
      return null;
    }
    String token = header.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  /** The position of {@code presented} among {@code digests}, or -1; every candidate is compared. */
  private static int index(byte[] presented, List<byte[]> digests) {
    int found = -1;
    for (int i = 0; i < digests.size(); i++) {
      if (MessageDigest.isEqual(presented, digests.get(i)) && found < 0) {
        found = i;
      }
    }
    return found;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
