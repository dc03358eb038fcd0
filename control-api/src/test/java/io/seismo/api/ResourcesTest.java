package io.seismo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the control API opened is closed in reverse, all of it, however many closes fail. */
class ResourcesTest {

  private final List<String> closed = new ArrayList<>();

  private AutoCloseable named(String name) {
    return () -> closed.add(name);
  }

  private AutoCloseable failing(String name) {
    return () -> {
      closed.add(name);
      throw new IllegalStateException(name + " failed");
    };
  }

  @Test
  void shouldCloseInReverseOrderOfOpeningWhenClosed() {
    Resources resources = new Resources();
    resources.add(named("writer"));
    resources.add(named("server"));
    resources.add(named("topology"));

    resources.closeAll();
    resources.closeAll(); // a second close finds nothing left

    assertThat(closed).containsExactly("topology", "server", "writer");
  }

  @Test
  void shouldCloseEverythingAndReportEachFailureWhenSomeClosesFail() {
    Resources resources = new Resources();
    resources.add(named("writer"));
    resources.add(failing("server"));
    resources.add(failing("topology"));

    assertThatThrownBy(resources::closeAll).isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
            .containsExactly("topology failed", "server failed"));
    assertThat(closed).containsExactly("topology", "server", "writer");
  }

  @Test
  void shouldAddCloseFailuresToTheStartFailureWhenAStartFails() {
    Resources resources = new Resources();
    resources.add(failing("writer"));
    resources.add(named("table"));
    RuntimeException startFailure = new RuntimeException("port taken");

    resources.closeAll(startFailure);

    assertThat(closed).containsExactly("table", "writer");
    assertThat(startFailure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("writer failed");
  }
}
