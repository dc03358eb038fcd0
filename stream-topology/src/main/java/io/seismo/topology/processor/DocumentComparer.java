package io.seismo.topology.processor;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Registration;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.change.RulesCache;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Compares each payload with the API's last document ({@link DocumentAnalyzer}) under the API's change
 * rules — a replay's current ones where it has them — and keeps the parsed tree for the next payload.
 */
final class DocumentComparer {

  private final TopologyConfig config;
  private final DocumentAnalyzer analyzer;
  private final RulesCache changeRules = new RulesCache();
  private final DocumentTrees trees;
  private KeyValueStore<String, byte[]> documents;

  DocumentComparer(TopologyConfig config, DocumentTrees trees) {
    this.config = config;
    this.analyzer = new DocumentAnalyzer(config.arrayDiffBudget());
    this.trees = trees;
  }

  void init(ProcessorContext<?, ?> context) {
    this.documents = context.getStateStore(StoreNames.DOCUMENTS);
  }

  /**
   * Compares a payload with the API's last document — its parsed tree from {@link DocumentTrees}, else
   * parsed from the documents store, and only when the payload changed — and keeps the new tree.
   */
  DocumentAnalyzer.Analysis analyze(String apiId, byte[] payload, Registration registration, ApiStatus status) {
    String previousHash = status.getLastContentHash();
    DocumentAnalyzer.Analysis analysis = analyzer.analyze(payload, changeRules.of(apiId, ruled(apiId, registration)),
        previousHash, () -> previousTree(apiId, previousHash), status.getLastBodyHash());
    if (analysis.document() == null && !status.getLastPayloadJson()) { // same bytes as the last, which were not JSON
      analysis = new DocumentAnalyzer.Analysis(false, null, analysis.hash(), false, false, null, 0, 0,
          analysis.bodyHash(), null, analysis.changedPaths());
    } else if (analysis.document() != null) {
      status.setLastPayloadJson(analysis.json());
    }
    if (analysis.tree() != null) {
      trees.put(apiId, analysis.hash(), analysis.tree(), analysis.document().length);
    } else if (analysis.document() != null) {
      trees.remove(apiId); // not JSON
    }
    return analysis;
  }

  /** The version (content hash) of a document under the API's change rules, without comparing it. */
  String versionOf(String apiId, byte[] document, Registration registration) {
    return analyzer.analyze(document, changeRules.of(apiId, ruled(apiId, registration)), null, Optional::empty, null)
        .hash();
  }

  /** The registration whose change rules apply: a replay's current one, else the one read. */
  private Registration ruled(String apiId, Registration registration) {
    return config.replay().map(replay -> replay.currentRules().get(apiId)).orElse(registration);
  }

  private Optional<JsonNode> previousTree(String apiId, String hash) {
    JsonNode cached = trees.get(apiId, hash);
    if (cached != null) {
      return Optional.of(cached);
    }
    byte[] stored = documents.get(apiId);
    return stored == null ? Optional.empty() : CanonicalJson.parse(stored);
  }
}
