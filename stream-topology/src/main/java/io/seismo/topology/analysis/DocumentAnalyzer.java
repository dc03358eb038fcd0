package io.seismo.topology.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.seismo.topology.change.ChangeRules;
import io.seismo.topology.change.ChangedPaths;
import io.seismo.topology.change.DocumentNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Compares a new payload with the last document of an API. JSON payloads are narrowed and normalised by
 * the registration's {@link ChangeRules} (see {@link DocumentNormalizer}), canonicalised and
 * hashed; when the hash equals the previous one nothing else is done (the fast path). Faster still, a
 * raw body byte-identical to the previous one (the usual case for unchanged APIs) is not parsed at all. A changed JSON
 * document is diffed into an RFC 6902 patch; a payload that is not JSON is compared by hash only.
 */
public final class DocumentAnalyzer {

  private final JsonPatchDiff differ;

  public DocumentAnalyzer(long arrayDiffBudget) {
    this.differ = new JsonPatchDiff(arrayDiffBudget);
  }

  /**
   * What one payload is, compared with the previous document. {@code document} is null when the raw
   * body was byte-identical to the previous one (nothing was parsed); {@code bodyHash} is the raw hash;
   * {@code tree} is the parsed (narrowed) document when it was JSON and parsed, else null — it must not
   * be modified, as it may serve as the next payload's previous document. {@code changedPaths} are the
   * normalised paths the patch changed ({@link ChangedPaths}; empty without a patch).
   */
  public record Analysis(boolean json, byte[] document, String hash, boolean first, boolean changed,
                         String patch, int opCount, long patchBytes, String bodyHash, JsonNode tree,
                         List<String> changedPaths) {

    public long documentBytes() {
      return document == null ? 0 : document.length;
    }
  }

  /**
   * @param previousHash     hash of the last document, null before the first payload
   * @param previousDocument canonical bytes of the last document when it was JSON, else null
   */
  public Analysis analyze(byte[] body, String jsonPointer, String previousHash, byte[] previousDocument) {
    return analyze(body, jsonPointer, previousHash,
        () -> previousDocument == null ? Optional.empty() : CanonicalJson.parse(previousDocument), null);
  }

  /**
   * As {@link #analyze(byte[], String, String, byte[])}, with the fastest path first: when the raw body
   * hashes to {@code previousBodyHash} the payload is unchanged and is not even parsed. The previous
   * document is only asked for (parsed, or from a cache of parsed trees) when the payload changed.
   */
  public Analysis analyze(byte[] body, String jsonPointer, String previousHash,
                          Supplier<Optional<JsonNode>> previousDocument, String previousBodyHash) {
    return analyze(body, ChangeRules.ofPointer(jsonPointer), previousHash, previousDocument, previousBodyHash);
  }

  /** As {@link #analyze(byte[], String, String, Supplier, String)}, with an API's change rules. */
  public Analysis analyze(byte[] body, ChangeRules rules, String previousHash,
                          Supplier<Optional<JsonNode>> previousDocument, String previousBodyHash) {
    String bodyHash = ContentHash.of(body);
    if (previousHash != null && bodyHash.equals(previousBodyHash)) {
      return new Analysis(true, null, previousHash, false, false, null, 0, 0, bodyHash, null, List.of());
    }
    Optional<JsonNode> parsed = CanonicalJson.parse(body).map(node -> DocumentNormalizer.apply(node, rules));
    byte[] document = parsed.map(CanonicalJson::bytes).orElse(body);
    String hash = ContentHash.of(document);
    boolean first = previousHash == null;
    JsonNode tree = parsed.orElse(null);
    if (Objects.equals(hash, previousHash)) {
      return new Analysis(tree != null, document, hash, false, false, null, 0, 0, bodyHash, tree, List.of());
    }
    Optional<JsonNode> previous = first || tree == null ? Optional.empty() : previousDocument.get();
    if (previous.isEmpty()) {
      return new Analysis(tree != null, document, hash, first, !first, null, 0, 0, bodyHash, tree, List.of());
    }
    // pointers and framing bounded by the document's size (at least 64 KiB): beyond, one whole replace
    ArrayNode patch = differ.diff(previous.get(), tree, Math.max(64 * 1024, document.length));
    String patchText = CanonicalJson.text(patch);
    return new Analysis(true, document, hash, false, true, patchText, patch.size(),
        patchText.getBytes(StandardCharsets.UTF_8).length, bodyHash, tree,
        ChangedPaths.of(patch, previous.get(), tree, rules));
  }
}
