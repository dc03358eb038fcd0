package io.seismo.api.auth;

import io.javalin.http.Context;
import io.seismo.api.error.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer-token checks. Tokens are kept only as SHA-256 digests and compared in constant time; they
 * are never logged or echoed. Writes need a write token; reads need a read or write token when read
 * tokens are configured, and are open otherwise.
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
    if (!matches(presented, writeDigests)) {
      if (matches(presented, readDigests)) {
        throw ProblemException.forbidden("this token may read but not write");
      }
      throw ProblemException.unauthorized("a valid bearer token with write access is required");
    }
  }

  public void requireRead(Context ctx) {
    if (readDigests.isEmpty()) {
      return;
    }
    byte[] presented = presented(ctx);
    if (!matches(presented, readDigests) && !matches(presented, writeDigests)) {
      throw ProblemException.unauthorized("a valid bearer token is required");
    }
  }

  /**
   * Who is calling, for per-caller limits: a digest prefix of a valid token (read or write), else the client
   * address — a forged or absent token does not make a new caller. Never the token itself.
   */
  public String caller(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] presented = digest(header.substring(7).strip());
      if (matches(presented, writeDigests) || matches(presented, readDigests)) {
        return "token:" + java.util.HexFormat.of().formatHex(presented, 0, 8);
      }
    }
    return "address:" + ctx.ip();
  }

  private static byte[] presented(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ProblemException.unauthorized("missing 'Authorization: Bearer <token>' header");
    }
    return digest(header.substring(7).strip());
  }

  private static boolean matches(byte[] presented, List<byte[]> digests) {
    boolean match = false;
    for (byte[] candidate : digests) {
      match |= MessageDigest.isEqual(presented, candidate);
    }
    return match;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
