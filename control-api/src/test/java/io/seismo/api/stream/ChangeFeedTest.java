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
  void shouldOverflowWhenWaitingPatchBytesExceedTheBoundButTakeOneLargePatchAlone() throws Exception {
    try (ChangeFeed feed = new ChangeFeed("localhost:1", new Properties())) {
      ChangeFeed.Subscription subscription = feed.subscribe("api", 100);
      feed.dispatch("api", change("a", "b", "x".repeat(150))); // alone in the queue: taken
      assertThat(subscription.overflowed).isFalse();
      assertThat(subscription.poll(0)).isInstanceOf(Change.class);

      feed.dispatch("api", change("b", "c", "x".repeat(60)));
      feed.dispatch("api", change("c", "d", "x".repeat(40))); // 100 bytes waiting: at the bound
      assertThat(subscription.overflowed).isFalse();
      feed.dispatch("api", change("d", "e", "x"));
      assertThat(subscription.overflowed).isTrue();
      assertThat(subscription.queue).hasSize(2);
    }
  }

  @Test
  void shouldTellOnlySubscribersWithoutADocumentThatTheFirstDocumentExists() throws Exception {
    try (ChangeFeed feed = new ChangeFeed("localhost:1", new Properties())) {
      ChangeFeed.Subscription waiting = feed.subscribe("api");
      ChangeFeed.Subscription holding = feed.subscribe("api");
      holding.awaitingDocument = false;

      feed.documentAt("api", "h1");
      feed.documentAt("other", "h2");
      feed.documentAt("api", null); // a status without a document

      assertThat(waiting.poll(0)).isEqualTo(new ChangeFeed.DocumentAt("h1"));
      assertThat(waiting.queue).isEmpty();
      assertThat(holding.queue).isEmpty();
    }
  }

  @Test
  void shouldChainPatchesAfterALastEventIdOrGiveUp() {
    List<Change> newestFirst = List.of(change("b", "c"), change("a", "b"), change("0", "a"));

    assertThat(StreamSession.patchesAfter(newestFirst, "a", "c")).extracting(Change::getNewHash).containsExactly("b", "c");
    assertThat(StreamSession.patchesAfter(newestFirst, "0", "c")).extracting(Change::getNewHash).containsExactly("a", "b", "c");
    assertThat(StreamSession.patchesAfter(newestFirst, "unknown", "c")).isNull();
    assertThat(StreamSession.patchesAfter(newestFirst, "a", "z")).isNull();
  }

  private static Change change(String previous, String next) {
    return change(previous, next, "[]");
  }

  private static Change change(String previous, String next, String patch) {
    return Change.newBuilder().setApiId("api").setAt(Instant.EPOCH).setPatch(patch).setPreviousHash(previous)
        .setNewHash(next).build();
  }
}
