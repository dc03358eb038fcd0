package io.seismo.topology.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class DocumentTreesTest {

  private final DocumentTrees trees = new DocumentTrees();
  private final JsonNode tree = JsonNodeFactory.instance.objectNode().put("v", 1);

  @Test
  void shouldAnswerOnlyForTheHashTheTreeWasKeptFor() {
    trees.put("api", "h1", tree, 100);

    assertThat(trees.get("api", "h1")).isSameAs(tree);
    assertThat(trees.get("api", "h2")).as("the store holds another document (e.g. after a rollback)").isNull();
    assertThat(trees.get("other", "h1")).isNull();
  }

  @Test
  void shouldNotKeepDocumentsOverTheSizeLimit() {
    trees.put("api", "h1", tree, 100);
    trees.put("api", "h2", tree, DocumentTrees.MAX_DOCUMENT_BYTES + 1);

    assertThat(trees.get("api", "h1")).as("replaced, not kept").isNull();
    assertThat(trees.get("api", "h2")).isNull();
  }

  @Test
  void shouldDropLeastRecentlyUsedWhenOverTheTotalBudget() {
    int size = DocumentTrees.MAX_DOCUMENT_BYTES;
    int fit = (int) (DocumentTrees.MAX_TOTAL_BYTES / size);
    for (int i = 0; i < fit; i++) {
      trees.put("api-" + i, "h", tree, size);
    }
    trees.get("api-0", "h"); // used recently: stays
    trees.put("api-new", "h", tree, size);

    assertThat(trees.get("api-0", "h")).isNotNull();
    assertThat(trees.get("api-1", "h")).as("least recently used").isNull();
    assertThat(trees.get("api-new", "h")).isNotNull();
  }
}
