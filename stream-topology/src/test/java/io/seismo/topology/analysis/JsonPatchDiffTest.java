package io.seismo.topology.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonPatchDiffTest {

  private final JsonPatchDiff differ = new JsonPatchDiff(JsonPatchDiff.DEFAULT_ARRAY_BUDGET);

  @Test
  void shouldProducePatchThatTurnsSourceIntoTargetWhenObjectsDiffer() {
    JsonNode source = json("{\"a\":1,\"b\":{\"c\":[1,2,3],\"d\":\"x\"},\"gone\":true,\"we/ird~\":1}");
    JsonNode target = json("{\"a\":2,\"b\":{\"c\":[1,3,4],\"d\":\"x\"},\"new\":null,\"we/ird~\":2}");

    ArrayNode patch = differ.diff(source, target);

    assertThat(JsonPatch.apply(patch, source)).isEqualTo(target);
    assertThat(patch.toString()).contains("/we~1ird~0");
  }

  @Test
  void shouldReplaceWholeArrayWhenArrayDiffExceedsBudget() {
    ArrayNode big = CanonicalJson.mapper().createArrayNode();
    ArrayNode bigChanged = CanonicalJson.mapper().createArrayNode();
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      big.add(random.nextInt());
      bigChanged.add(i % 7 == 0 ? random.nextInt() : big.get(i).asInt());
    }
    JsonNode source = CanonicalJson.mapper().createObjectNode().set("items", big);
    JsonNode target = CanonicalJson.mapper().createObjectNode().set("items", bigChanged);

    long started = System.nanoTime();
    ArrayNode patch = differ.diff(source, target);

    assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    assertThat(patch).hasSize(1);
    assertThat(patch.get(0).get("op").asText()).isEqualTo("replace");
    assertThat(patch.get(0).get("path").asText()).isEqualTo("/items");
    assertThat(JsonPatch.apply(patch, source)).isEqualTo(target);
  }

  @Test
  void shouldPatchOnlyTheChangedElementsOfALongArray() throws Exception {
    ArrayNode before = CanonicalJson.mapper().createArrayNode();
    for (int i = 0; i < 10_000; i++) {
      before.add(CanonicalJson.mapper().createObjectNode().put("id", i).put("stock", i % 13));
    }
    ArrayNode after = before.deepCopy();
    ((ObjectNode) after.get(5_000)).put("stock", 99);
    after.insert(5_100, CanonicalJson.mapper().createObjectNode().put("id", -1));
    after.remove(5_300);
    JsonNode source = CanonicalJson.mapper().createObjectNode().set("items", before);
    JsonNode target = CanonicalJson.mapper().createObjectNode().set("items", after);

    ArrayNode patch = differ.diff(source, target);

    // only the ~300 elements between the first and the last difference go through the n·m diff (budget 250,000)
    assertThat(patch.toString()).contains("\"path\":\"/items/5000/stock\"");
    assertThat(patch).hasSizeLessThan(10);
    assertThat(JsonPatch.apply(patch, source)).isEqualTo(target);
    assertThat(JsonPatchDiff.shift("/3/name", 4_000)).isEqualTo("/4003/name");
    assertThat(JsonPatchDiff.shift("/0", 7)).isEqualTo("/7");
    assertThat(JsonPatchDiff.shift("/-", 7)).isNull();
  }

  @Test
  void shouldReplaceRootWhenTypesDiffer() {
    ArrayNode patch = differ.diff(json("[1,2]"), json("{\"a\":1}"));

    assertThat(patch.toString()).isEqualTo("[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"a\":1}}]");
  }

  @Test
  void shouldHashEqualContentEquallyWhenKeyOrderAndSpacingDiffer() {
    byte[] one = CanonicalJson.bytes(json("{\"b\": 1, \"a\": {\"y\": 2, \"x\": [3]}}"));
    byte[] two = CanonicalJson.bytes(json("{\"a\":{\"x\":[3],\"y\":2},\"b\":1}"));

    assertThat(new String(one, StandardCharsets.UTF_8)).isEqualTo("{\"a\":{\"x\":[3],\"y\":2},\"b\":1}");
    assertThat(ContentHash.of(one)).isEqualTo(ContentHash.of(two)).hasSize(32);
    assertThat(ContentHash.of(one)).isNotEqualTo(ContentHash.of(CanonicalJson.bytes(json("{\"a\":1}"))));
  }

  @Test
  void shouldRejectNonJsonAndTrailingGarbage() {
    assertThat(CanonicalJson.parse("<html>".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(CanonicalJson.parse("{\"a\":1} trailing".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(CanonicalJson.parse(new byte[0])).isEmpty();
  }

  private static JsonNode json(String text) {
    return CanonicalJson.parse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }
}
