package io.seismo.topology.analysis;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.util.HexFormat;

/** A 128-bit XXH3 hash of a document's canonical bytes, as 32 hex characters. Fast and stable across JVMs. */
public final class ContentHash {

  private static final Hasher128 XXH3 = Hashing.xxh3_128();
  private static final HexFormat HEX = HexFormat.of();

  private ContentHash() {}

  public static String of(byte[] bytes) {
    HashValue128 hash = XXH3.hashBytesTo128Bits(bytes);
    return HEX.toHexDigits(hash.getMostSignificantBits()) + HEX.toHexDigits(hash.getLeastSignificantBits());
  }
}
