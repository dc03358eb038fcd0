package io.seismo.topology.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.topology.change.ChangeRules;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocumentAnalyzerTest {

  private final DocumentAnalyzer analyzer = new DocumentAnalyzer(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);

  @Test
  void shouldWriteTheSamePatchWhetherThePreviousTreeWasCachedOrReadBackFromTheStore() {
    byte[] before = bytes("{\"zeta\":1,\"alpha\":{\"y\":1,\"x\":1},\"mid\":[{\"b\":1,\"a\":1}]}");
    byte[] after = bytes("{\"mid\":[{\"a\":2,\"b\":2}],\"alpha\":{\"x\":2,\"y\":2},\"zeta\":2}");
    DocumentAnalyzer.Analysis first = analyzer.analyze(before, ChangeRules.NONE, null, Optional::empty, null);

    JsonNode cached = first.tree(); // the live run: the tree parsed from the upstream's bytes
    JsonNode stored = CanonicalJson.parse(first.document()).orElseThrow(); // after a restart or in a replay
    String live = analyzer.analyze(after, ChangeRules.NONE, first.hash(), () -> Optional.of(cached), null).patch();
    String restarted = analyzer.analyze(after, ChangeRules.NONE, first.hash(), () -> Optional.of(stored), null).patch();

    assertThat(live).isEqualTo(restarted).isEqualTo("["
        + "{\"op\":\"replace\",\"path\":\"/alpha/x\",\"value\":2},{\"op\":\"replace\",\"path\":\"/alpha/y\",\"value\":2},"
        + "{\"op\":\"replace\",\"path\":\"/mid/0/a\",\"value\":2},{\"op\":\"replace\",\"path\":\"/mid/0/b\",\"value\":2},"
        + "{\"op\":\"replace\",\"path\":\"/zeta\",\"value\":2}]");
  }

  @Test
  void shouldFindAReformattedDocumentUnchangedWithTheSameHash() {
    byte[] compact = bytes("{\"b\":[1,2.50,{\"d\":null,\"c\":true}],\"a\":\"x\"}");
    byte[] pretty = bytes("{\n  \"a\" : \"x\",\n  \"b\" : [ 1, 2.5, { \"c\" : true, \"d\" : null } ]\n}");
    DocumentAnalyzer.Analysis first = analyzer.analyze(compact, ChangeRules.NONE, null, Optional::empty, null);

    DocumentAnalyzer.Analysis again = analyzer.analyze(pretty, ChangeRules.NONE, first.hash(),
        () -> Optional.of(first.tree()), first.bodyHash());

    assertThat(again.changed()).isFalse();
    assertThat(again.hash()).isEqualTo(first.hash());
    assertThat(new String(first.document(), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":\"x\",\"b\":[1,2.5,{\"c\":true,\"d\":null}]}");
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
