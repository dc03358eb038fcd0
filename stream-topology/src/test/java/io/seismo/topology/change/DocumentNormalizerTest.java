package io.seismo.topology.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.seismo.schemas.Registration;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.DocumentAnalyzer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocumentNormalizerTest {

  private final DocumentAnalyzer analyzer = new DocumentAnalyzer(250_000);

  private static ChangeRules rules(List<String> select, List<String> ignore, List<String> unordered, Map<String, String> keys) {
    return ChangeRules.of(Registration.newBuilder().setApiId("a").setUrl("https://example.org/")
        .setSelect(select).setIgnore(ignore).setUnorderedArrays(unordered).setArrayKeys(keys).build());
  }

  private static JsonNode json(String text) {
    return CanonicalJson.parse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  private static String normalised(String document, ChangeRules rules) {
    return CanonicalJson.text(DocumentNormalizer.apply(json(document), rules));
  }

  @Test
  void shouldRemoveIgnoredMembersWhenPatternsHaveWildcards() {
    ChangeRules rules = rules(List.of(), List.of("/meta/requestId", "/items/*/updatedAt", "/**/etag"), List.of(), Map.of());
    assertThat(normalised("""
        {"meta":{"requestId":"r1","page":1},"etag":"x","items":[{"id":1,"updatedAt":5,"deep":{"etag":"y","v":1}},
         {"id":2,"updatedAt":6}]}""", rules))
        .isEqualTo("{\"items\":[{\"deep\":{\"v\":1},\"id\":1},{\"id\":2}],\"meta\":{\"page\":1}}");
  }

  @Test
  void shouldKeepSelectedPartsAtTheirPathsWhenSeveralPointersAreSelected() {
    ChangeRules rules = rules(List.of("/data/price", "/data/volume", "/missing", "/data"), List.of("/data/ts"), List.of(), Map.of());
    assertThat(normalised("{\"data\":{\"price\":3,\"volume\":4,\"ts\":9},\"other\":1}", rules))
        .isEqualTo("{\"data\":{\"price\":3,\"volume\":4}}");
    ChangeRules two = rules(List.of("/data/price", "/a/0"), List.of(), List.of(), Map.of());
    assertThat(normalised("{\"data\":{\"price\":3,\"volume\":4},\"a\":[7,8]}", two))
        .isEqualTo("{\"a\":{\"0\":7},\"data\":{\"price\":3}}");
  }

  @Test
  void shouldSortSetLikeArraysWhenUnordered() {
    ChangeRules rules = rules(List.of(), List.of(), List.of("/tags", "/groups/*/members"), Map.of());
    assertThat(normalised("{\"tags\":[\"c\",\"a\",\"b\"],\"groups\":[{\"members\":[3,1,2]}],\"kept\":[2,1]}", rules))
        .isEqualTo("{\"groups\":[{\"members\":[1,2,3]}],\"kept\":[2,1],\"tags\":[\"a\",\"b\",\"c\"]}");
  }

  @Test
  void shouldKeyRecordsByTheirKeyMemberWhenArrayKeysMatch() {
    ChangeRules rules = rules(List.of(), List.of("/items/*/seen"), List.of(), Map.of("/items", "id"));
    assertThat(normalised("{\"items\":[{\"id\":\"b\",\"v\":2,\"seen\":1},{\"id\":\"a\",\"v\":1}]}", rules))
        .isEqualTo("{\"items\":{\"a\":{\"id\":\"a\",\"v\":1},\"b\":{\"id\":\"b\",\"v\":2}}}");
    // a duplicate or missing key: stays an array, diffed by position
    assertThat(normalised("{\"items\":[{\"id\":1},{\"id\":1}]}", rules)).isEqualTo("{\"items\":[{\"id\":1},{\"id\":1}]}");
    assertThat(normalised("{\"items\":[{\"id\":1},{\"v\":1}]}", rules)).isEqualTo("{\"items\":[{\"id\":1},{\"v\":1}]}");
  }

  @Test
  void shouldEmitOneAddThatAppliesToThePreviousDocumentWhenARecordIsInsertedIntoAKeyedArray() {
    ChangeRules rules = rules(List.of(), List.of(), List.of(), Map.of("/items", "id"));
    DocumentAnalyzer.Analysis first = analyze("{\"items\":[{\"id\":1,\"p\":10},{\"id\":2,\"p\":20},{\"id\":3,\"p\":30}]}",
        rules, null, null);
    DocumentAnalyzer.Analysis next = analyze("{\"items\":[{\"id\":0,\"p\":5},{\"id\":1,\"p\":10},{\"id\":3,\"p\":31},{\"id\":2,\"p\":20}]}",
        rules, first.hash(), first.tree());

    assertThat(next.changed()).isTrue();
    assertThat(json(next.patch())).containsExactlyInAnyOrder(
        json("{\"op\":\"add\",\"path\":\"/items/0\",\"value\":{\"id\":0,\"p\":5}}"),
        json("{\"op\":\"replace\",\"path\":\"/items/3/p\",\"value\":31}"));
    assertThat(JsonPatch.apply(json(next.patch()), first.tree())).isEqualTo(next.tree());
    assertThat(next.changedPaths()).containsExactlyInAnyOrder("/items/*", "/items/*/p");
  }

  @Test
  void shouldReportNoChangeWhenOnlyIgnoredOrOrderChanges() {
    ChangeRules rules = rules(List.of(), List.of("/requestId", "/serverTime"), List.of("/tags"), Map.of("/items", "id"));
    DocumentAnalyzer.Analysis first = analyze(
        "{\"requestId\":\"r1\",\"serverTime\":1,\"tags\":[\"x\",\"y\"],\"items\":[{\"id\":1},{\"id\":2}]}", rules, null, null);
    DocumentAnalyzer.Analysis next = analyze(
        "{\"requestId\":\"r2\",\"serverTime\":2,\"tags\":[\"y\",\"x\"],\"items\":[{\"id\":2},{\"id\":1}]}", rules,
        first.hash(), first.tree());
    assertThat(next.changed()).isFalse();
    assertThat(next.hash()).isEqualTo(first.hash());
  }

  @Test
  void shouldCollapseArrayIndexesWhenNormalisingChangedPaths() {
    DocumentAnalyzer.Analysis first = analyze("{\"items\":[{\"price\":1},{\"price\":2}],\"meta\":{\"n\":1}}",
        ChangeRules.NONE, null, null);
    DocumentAnalyzer.Analysis next = analyze("{\"items\":[{\"price\":1},{\"price\":3},{\"price\":4}],\"meta\":{\"n\":2}}",
        ChangeRules.NONE, first.hash(), first.tree());
    assertThat(next.changedPaths()).containsExactlyInAnyOrder("/items/*/price", "/items/*", "/meta/n");
  }

  @Test
  void shouldRefuseMalformedPatternsWithAClearMessage() {
    assertThatThrownBy(() -> PointerPattern.parse("meta/id")).hasMessageContaining("starting with '/'");
    assertThatThrownBy(() -> PointerPattern.parse("/a~2b")).hasMessageContaining("~0");
    assertThatThrownBy(() -> PointerPattern.parse("")).hasMessageContaining("whole document");
    assertThat(ChangeRules.validate("/x", List.of("/a/*"), List.of("bad"), List.of("/ok"), Map.of("/items", "")))
        .extracting(ChangeRules.Problem::field)
        .containsExactly("select", "select[0]", "ignore[0]", "arrayKeys./items");
    assertThat(ChangeRules.validate(null, List.of("/a"), List.of("/**/etag", "/a~1b/*"), List.of("/t"), Map.of("/i", "id")))
        .isEmpty();
  }

  @Test
  void shouldMatchAnyDepthWhenPatternHasDoubleStar() {
    PointerPattern pattern = PointerPattern.parse("/**/etag");
    assertThat(pattern.matches(List.of("etag"))).isTrue();
    assertThat(pattern.matches(List.of("a", "b", "etag"))).isTrue();
    assertThat(pattern.matches(List.of("a", "etag", "b"))).isFalse();
    assertThat(PointerPattern.parse("/a~1b/~0c").matches(List.of("a/b", "~c"))).isTrue();
  }

  private DocumentAnalyzer.Analysis analyze(String body, ChangeRules rules, String previousHash, JsonNode previous) {
    return analyzer.analyze(body.getBytes(StandardCharsets.UTF_8), rules, previousHash,
        () -> Optional.ofNullable(previous), null);
  }
}
