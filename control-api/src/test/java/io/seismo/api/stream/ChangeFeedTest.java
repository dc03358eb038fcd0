package io.seismo.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.seismo.schemas.Change;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ChangeFeedTest {

  @Test
  void shouldCutOffOnlyTheSlowSubscriberWhenItsQueueOverflows() {
    try (ChangeFeed feed = new ChangeFeed("localhost:1", new Properties())) {
      ChangeFeed.Subscription slow = feed.subscribe("api");
      ChangeFeed.Subscription fast = feed.subscribe("api");
      ChangeFeed.Subscription other = feed.subscribe("other");

      for (int i = 0; i < ChangeFeed.QUEUE_CAPACITY + 1; i++) {
        feed.dispatch("api", change("h" + i, "h" + (i + 1)));
        if (i % 2 == 0) {
          fast.queue.poll();
          fast.queue.poll();
        }
      }

      assertThat(slow.overflowed).isTrue();
      assertThat(fast.overflowed).isFalse();
      assertThat(other.queue).isEmpty();
      slow.close();
      feed.dispatch("api", change("x", "y"));
      assertThat(slow.queue).hasSize(ChangeFeed.QUEUE_CAPACITY);
    }
  }

  @Test
  void shouldChainPatchesAfterALastEventIdOrGiveUp() {
    List<Change> newestFirst = List.of(change("b", "c"), change("a", "b"), change("0", "a"));

    assertThat(StreamHandler.patchesAfter(newestFirst, "a", "c")).extracting(Change::getNewHash).containsExactly("b", "c");
    assertThat(StreamHandler.patchesAfter(newestFirst, "0", "c")).extracting(Change::getNewHash).containsExactly("a", "b", "c");
    assertThat(StreamHandler.patchesAfter(newestFirst, "unknown", "c")).isNull();
    assertThat(StreamHandler.patchesAfter(newestFirst, "a", "z")).isNull();
  }

  private static Change change(String previous, String next) {
    return Change.newBuilder().setApiId("api").setAt(Instant.EPOCH).setPatch("[]").setPreviousHash(previous)
        .setNewHash(next).build();
  }
}
