package io.seismo.topology.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransferCostTest {

  private final DocumentAnalyzer analyzer = new DocumentAnalyzer(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);

  @Test
  void shouldPriceFirstSnapshotUnchangedAndChangedSamplesPerModel() {
    byte[] v1 = "{\"a\":1,\"big\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}".getBytes(StandardCharsets.UTF_8);
    byte[] v2 = "{\"a\":2,\"big\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}".getBytes(StandardCharsets.UTF_8);
    DocumentAnalyzer.Analysis first = analyzer.analyze(v1, null, null, null);
    DocumentAnalyzer.Analysis same = analyzer.analyze(v1, null, first.hash(), first.document());
    DocumentAnalyzer.Analysis changed = analyzer.analyze(v2, null, first.hash(), first.document());

    TransferCost.Cost firstCost = TransferCost.of(200, v1.length, false, first, 0);
    TransferCost.Cost sameCost = TransferCost.of(200, v1.length, false, same, 60_000);
    TransferCost.Cost changedCost = TransferCost.of(200, v2.length, false, changed, 30_000);
    TransferCost.Cost notModified = TransferCost.of(180, v1.length, true, null, 30_000);

    assertThat(firstCost).isEqualTo(new TransferCost.Cost(200 + v1.length, 200 + v1.length,
        200 + TransferCost.SSE_EVENT_FRAMING + first.documentBytes()));
    assertThat(sameCost).isEqualTo(new TransferCost.Cost(200 + v1.length, 200, 6));
    assertThat(changed.patch()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]");
    assertThat(changedCost).isEqualTo(new TransferCost.Cost(200 + v2.length, 200 + v2.length,
        TransferCost.SSE_EVENT_FRAMING + changed.patchBytes() + 3));
    assertThat(notModified).isEqualTo(new TransferCost.Cost(180 + v1.length, 180, 3));
  }

  @Test
  void shouldNarrowByJsonPointerSoThatChangesOutsideAreIgnored() {
    byte[] v1 = "{\"data\":{\"x\":1},\"generatedAt\":\"10:00\"}".getBytes(StandardCharsets.UTF_8);
    byte[] v2 = "{\"data\":{\"x\":1},\"generatedAt\":\"10:01\"}".getBytes(StandardCharsets.UTF_8);
    DocumentAnalyzer.Analysis first = analyzer.analyze(v1, "/data", null, null);

    DocumentAnalyzer.Analysis second = analyzer.analyze(v2, "/data", first.hash(), first.document());

    assertThat(new String(first.document(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
    assertThat(second.changed()).isFalse();
    assertThat(analyzer.analyze(v2, "/missing", null, null).document()).asString().isEqualTo("null");
  }
}
