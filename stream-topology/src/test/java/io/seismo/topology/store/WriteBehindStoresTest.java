package io.seismo.topology.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * The write-behind layers over real (in-memory) Kafka Streams stores: what is put is read back at once
 * (point reads and ranges, in the store's own UTF-8 order) but reaches the store underneath only when
 * the caches are flushed, as Kafka Streams does before a commit; a store initialised again (after a
 * restore) or closed has nothing pending.
 */
class WriteBehindStoresTest {

  /** Keys whose UTF-16 order differs from the UTF-8 order of the store underneath (U+FFFF vs U+1F600). */
  private static final List<String> KEYS = List.of("a", "ab", "b", "api-1", "api-10", "api-2", "\uFFFF", "\uD83D\uDE00", "z");

  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

  private WriteBehindKeyValueStore<String> keyValueStore() {
    KeyValueStore<String, String> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("kv"),
        Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    WriteBehindKeyValueStore<String> store = new WriteBehindKeyValueStore<>(inner);
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  @Test
  void shouldWriteToTheStoreUnderneathOnlyWhenTheCachesAreFlushed() {
    WriteBehindKeyValueStore<String> store = keyValueStore();
    store.put("api", "v1");
    store.put("api", "v2");

    assertThat(store.get("api")).isEqualTo("v2");
    assertThat(store.wrapped().get("api")).isNull();

    store.flushCache();
    assertThat(store.wrapped().get("api")).isEqualTo("v2");

    assertThat(store.delete("api")).isEqualTo("v2");
    assertThat(store.get("api")).isNull();
    assertThat(store.wrapped().get("api")).as("deleted at the next flush").isEqualTo("v2");
    store.flushCache();
    assertThat(store.wrapped().get("api")).isNull();
  }

  @Test
  void shouldFailTheCommitWhenAValueCannotBeSerialized() {
    Serde<String> picky = Serdes.serdeFrom((topic, value) -> {
      if ("unserializable".equals(value)) {
        throw new SerializationException("cannot encode " + value);
      }
      return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }, Serdes.String().deserializer());
    KeyValueStore<String, String> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("picky"),
        Serdes.String(), picky).withLoggingDisabled().build();
    WriteBehindKeyValueStore<String> store = new WriteBehindKeyValueStore<>(inner);
    store.init(context.getStateStoreContext(), store);
    store.put("b", "unserializable");

    assertThatThrownBy(store::flushCache).isInstanceOf(StreamsException.class)
        .hasMessageContaining("picky").hasMessageContaining("key b").hasCauseInstanceOf(SerializationException.class);
    assertThat(store.get("b")).as("still pending: never dropped while its input commits").isEqualTo("unserializable");
    assertThatThrownBy(() -> store.commit(Map.of())).as("nor committed without it").isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldFailACommitWhenWritesArePendingBecauseTheCachesWereNotFlushed() {
    WriteBehindKeyValueStore<String> store = keyValueStore();
    store.put("api", "v1");

    assertThatThrownBy(() -> store.commit(Map.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pending at a commit");
    store.flushCache();
    store.commit(Map.of());
  }

  @Test
  void shouldRefuseToStartOnAKafkaStreamsVersionItWasNotTestedWith() {
    WriteBehindLayer.checkKafkaStreamsVersion(AppInfoParser.getVersion());
    assertThatThrownBy(() -> WriteBehindLayer.checkKafkaStreamsVersion("4.4.0")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("4.4.0").hasMessageContaining("TESTED_VERSIONS");
  }

  @Test
  void shouldRunTheBeforeFlushActionsFirstUntilInitialisedAgain() {
    WriteBehindKeyValueStore<String> store = keyValueStore();
    List<String> seenUnderneath = new ArrayList<>();
    WriteBehindStores.beforeFlush(store, () -> seenUnderneath.add(String.valueOf(store.wrapped().get("api"))));
    store.put("api", "v1");
    store.flushCache();
    store.put("api", "v2");
    store.flushCache();
    store.init(context.getStateStoreContext(), store);
    store.flushCache();

    assertThat(seenUnderneath).containsExactly("null", "v1");
  }

  @Test
  void shouldDropPendingWritesWhenInitialisedAgain() {
    WriteBehindKeyValueStore<String> store = keyValueStore();
    store.put("flushed", "1");
    store.flushCache();
    store.put("pending", "2");

    store.init(context.getStateStoreContext(), store); // Kafka Streams restored the store (e.g. after an abort)

    assertThat(store.get("pending")).isNull();
    assertThat(store.get("flushed")).isEqualTo("1");
  }

  @Test
  void shouldReadLikeAPlainMapWhateverIsPendingOrFlushed() {
    Random random = new Random(11);
    for (int run = 0; run < 200; run++) {
      WriteBehindKeyValueStore<String> store = keyValueStore();
      NavigableMap<String, String> model = new TreeMap<>(WriteBehindKeyValueStore.KEY_ORDER);
      for (int step = 0; step < 40; step++) {
        String key = KEYS.get(random.nextInt(KEYS.size()));
        switch (random.nextInt(6)) {
          case 0, 1, 2 -> {
            String value = key + "=" + step;
            store.put(key, value);
            model.put(key, value);
          }
          case 3 -> {
            assertThat(store.delete(key)).isEqualTo(model.remove(key));
          }
          case 4 -> store.flushCache();
          default -> {
            String from = KEYS.get(random.nextInt(KEYS.size()));
            String to = KEYS.get(random.nextInt(KEYS.size()));
            if (WriteBehindKeyValueStore.KEY_ORDER.compare(from, to) <= 0) {
              assertThat(entries(store.range(from, to))).containsExactlyElementsOf(pairs(model.subMap(from, true, to, true)));
              assertThat(entries(store.reverseRange(from, to)))
                  .containsExactlyElementsOf(pairs(model.subMap(from, true, to, true).descendingMap()));
            }
          }
        }
        assertThat(store.get(key)).isEqualTo(model.get(key));
        assertThat(entries(store.all())).containsExactlyElementsOf(pairs(model));
        assertThat(entries(store.reverseAll())).containsExactlyElementsOf(pairs(model.descendingMap()));
      }
      store.flushCache();
      assertThat(entries(store.wrapped().all())).as("flushed: the store underneath is the model")
          .containsExactlyElementsOf(pairs(model));
    }
  }

  @Test
  void shouldLayPendingWindowsOverStoredOnes() {
    long minute = Duration.ofMinutes(1).toMillis();
    WindowStore<String, String> inner = Stores.windowStoreBuilder(Stores.inMemoryWindowStore("w",
        Duration.ofDays(1), Duration.ofMinutes(1), false), Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    WriteBehindWindowStore<String> store = new WriteBehindWindowStore<>(inner);
    store.init(context.getStateStoreContext(), store);

    store.put("api", "m0", 0);
    store.put("api", "m1", minute);
    store.put("other", "o1", minute);
    store.flushCache();
    store.put("api", "m1'", minute);
    store.put("api", "m2", 2 * minute);

    assertThat(store.fetch("api", minute)).isEqualTo("m1'");
    assertThat(inner.fetch("api", minute)).isEqualTo("m1");
    assertThat(entries(store.fetch("api", 0, 2 * minute)))
        .containsExactly(KeyValue.pair(0L, "m0"), KeyValue.pair(minute, "m1'"), KeyValue.pair(2 * minute, "m2"));
    assertThat(entries(store.fetch("api", minute, minute))).containsExactly(KeyValue.pair(minute, "m1'"));
    assertThat(entries(store.backwardFetch("api", 0, 2 * minute)))
        .containsExactly(KeyValue.pair(2 * minute, "m2"), KeyValue.pair(minute, "m1'"), KeyValue.pair(0L, "m0"));
    assertThat(entries(store.fetch("other", 0, 2 * minute))).containsExactly(KeyValue.pair(minute, "o1"));

    store.flushCache();
    assertThat(inner.fetch("api", minute)).isEqualTo("m1'");
    assertThat(inner.fetch("api", 2 * minute)).isEqualTo("m2");
    store.close();
  }

  @Test
  void shouldShowPendingWindowsOnlyToTheThreadThatWroteThem() throws Exception {
    WindowStore<String, String> inner = Stores.windowStoreBuilder(Stores.inMemoryWindowStore("w",
        Duration.ofDays(1), Duration.ofMinutes(1), false), Serdes.String(), Serdes.String()).withLoggingDisabled().build();
    WriteBehindWindowStore<String> store = new WriteBehindWindowStore<>(inner);
    store.init(context.getStateStoreContext(), store);
    store.put("api", "flushed", 0);
    store.flushCache();
    store.put("api", "pending", 0);

    AtomicReference<Object> seen = new AtomicReference<>();
    Thread query = Thread.ofPlatform().start(() -> seen.set(List.of(store.fetch("api", 0L), entries(store.fetch("api", 0L, 0L)))));
    query.join();

    assertThat(seen.get()).as("an interactive query sees the store as of the last flush")
        .isEqualTo(List.of("flushed", List.of(KeyValue.pair(0L, "flushed"))));
    assertThat(store.fetch("api", 0L)).isEqualTo("pending");
  }

  private static <K, V> List<KeyValue<K, V>> entries(KeyValueIterator<K, V> iterator) {
    List<KeyValue<K, V>> entries = new ArrayList<>();
    try (iterator) {
      iterator.forEachRemaining(entries::add);
    }
    return entries;
  }

  private static List<KeyValue<String, String>> pairs(Map<String, String> map) {
    return map.entrySet().stream().map(entry -> KeyValue.pair(entry.getKey(), entry.getValue())).toList();
  }
}
