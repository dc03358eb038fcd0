package io.seismo.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Source;
import io.seismo.schemas.SseEventKind;
import io.seismo.schemas.topic.TopicSpec;
import io.seismo.schemas.topic.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Checks, per API, what a chaos run must not have broken (the list is in docs/cluster-and-chaos.md), reading the
 * topics with a plain read_committed {@link KafkaConsumer} and the stores over REST, with none of the topology's code.
 */
public final class Verifier {

  /** A registered demo API: its id, whether it is polled or streamed, and its poll interval. */
  public record Api(String apiId, boolean sse, long intervalMs) {}

  /** What the verifier found: the failures (empty: passed) and figures for the summary. */
  public record Result(List<String> failures, Map<String, Object> figures) {
    public boolean passed() {
      return failures.isEmpty();
    }
  }

  private static final Map<String, Long> WINDOWS = Map.of("1m", 60_000L, "1h", 3_600_000L, "1d", 86_400_000L);
  private static final long RUN_BREAK = 1_000_000; // sequence bases are the job's start in µs: 1 s apart at least
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrap;
  private final List<String> apiUrls;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public Verifier(String bootstrap, List<String> apiUrls) {
    this.bootstrap = bootstrap;
    this.apiUrls = List.copyOf(apiUrls);
  }

  /** Raw samples of one API: polls by sequence, and every sample's time. */
  static final class Raw {
    final TreeMap<Long, Long> pollTimes = new TreeMap<>(); // sequence -> requestedAt
    final Set<String> sseKeys = new HashSet<>();
    final List<Long> sampleTimes = new ArrayList<>();
    int duplicates;
  }

  /** Reads the raw topics once (they no longer change when the ingest processes are stopped). */
  public Map<String, Raw> readRaw() {
    Map<String, Raw> raw = new HashMap<>();
    readTopic(Topics.RAW_POLLS, (key, poll) -> {
      Raw r = raw.computeIfAbsent(poll.getApiId(), k -> new Raw());
      long at = poll.getRequestedAt().toEpochMilli();
      if (r.pollTimes.putIfAbsent(poll.getSequence(), at) != null) {
        r.duplicates++;
      } else {
        r.sampleTimes.add(at);
      }
    });
    readTopic(Topics.RAW_SSE, (key, event) -> {
      if (event.getKind() != SseEventKind.EVENT && event.getKind() != SseEventKind.ERROR
          && event.getKind() != SseEventKind.HEARTBEAT_GAP) {
        return; // OPEN, CLOSE: connection lifecycle, not samples
      }
      Raw r = raw.computeIfAbsent(event.getApiId(), k -> new Raw());
      String identity = event.getConnectionId() + "|" + event.getKind() + "|" + event.getEventId() + "|"
          + event.getReceivedAt().toEpochMilli() + "|" + event.getBytes();
      if (!r.sseKeys.add(identity)) {
        r.duplicates++;
      } else {
        r.sampleTimes.add(event.getReceivedAt().toEpochMilli());
      }
    });
    return raw;
  }

  /**
   * Checks everything; {@code raw} from {@link #readRaw()}, {@code events} what the chaos run did (the
   * gaps they explain), {@code acknowledged} the apiIds the control API answered 201 for.
   */
  public Result verify(Collection<Api> apis, Map<String, Raw> raw, List<ChaosEvent> events, Set<String> acknowledged) {
    Outputs outputs = new Outputs(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    readTopic(Topics.STATUS, (key, status) -> outputs.statuses().put(key, status));
    readTopic(Topics.CHANGES, (key, change) -> outputs.changes().computeIfAbsent(key, k -> new ArrayList<>()).add(change));
    readTopic(Topics.METRICS, (key, m) -> outputs.metrics().computeIfAbsent(m.getApiId(), k -> new HashMap<>())
        .computeIfAbsent(m.getWindow(), k -> new TreeMap<>()).put(m.getWindowStart(), m));
    readTopic(Topics.REGISTRATIONS, (key, registration) -> {
      if (registration == null) {
        outputs.registrations().remove(key);
      } else {
        outputs.registrations().put(key, registration);
      }
    });
    return check(apis, raw, outputs, new RestStores(), events, acknowledged);
  }

  /** What the output topics hold: the last status per API, every change in order, the last value of each window. */
  public record Outputs(Map<String, ApiStatus> statuses, Map<String, List<Change>> changes,
                        Map<String, Map<String, Map<Long, ApiMetrics>>> metrics, Map<String, Registration> registrations) {}

  /** The stores, as the control API serves them. */
  public interface Stores {
    JsonNode status(String apiId, int index) throws IOException;

    JsonNode metrics(String apiId, String window, Instant from, Instant to, int index) throws IOException;

    int registration(String apiId) throws IOException;
  }

  /** The stores over REST, spread over the control API instances (either answers for every API). */
  private final class RestStores implements Stores {
    @Override
    public JsonNode status(String apiId, int index) throws IOException {
      return get(apiUrls.get(index % apiUrls.size()) + "/apis/" + enc(apiId) + "/status");
    }

    @Override
    public JsonNode metrics(String apiId, String window, Instant from, Instant to, int index) throws IOException {
      return get(apiUrls.get(index % apiUrls.size()) + "/apis/" + enc(apiId) + "/metrics?window=" + window + "&from=" + from
          + "&to=" + to);
    }

    @Override
    public int registration(String apiId) throws IOException {
      return Verifier.this.status(apiUrls.getFirst() + "/apis/" + enc(apiId));
    }
  }

  /** The checks themselves, on data already read (a test feeds its own). */
  static Result check(Collection<Api> apis, Map<String, Raw> raw, Outputs outputs, Stores stores, List<ChaosEvent> events,
                      Set<String> acknowledged) {
    List<String> failures = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    Map<String, ApiStatus> statuses = outputs.statuses();
    Map<String, List<Change>> changes = outputs.changes();
    Map<String, Map<String, Map<Long, ApiMetrics>>> metrics = outputs.metrics();
    Map<String, Registration> registrations = outputs.registrations();

    long samples = 0;
    long polls = 0;
    long sseSamples = 0;
    long changeCount = 0;
    long windowsChecked = 0;
    long rawDuplicates = 0;
    long lostInRun = 0;
    List<Long> gaps = new ArrayList<>();
    long missedInGaps = 0;
    int apiIndex = 0;
    for (Api api : apis) {
      String id = api.apiId();
      Raw r = raw.getOrDefault(id, new Raw());
      rawDuplicates += r.duplicates;
      if (r.duplicates > 0) {
        failures.add(id + ": " + r.duplicates + " duplicate raw sample(s)");
      }
      long distinct = r.sampleTimes.size();
      samples += distinct;
      if (api.sse()) {
        sseSamples += distinct;
      } else {
        polls += distinct;
      }
      if (distinct == 0) {
        failures.add(id + ": no raw sample at all");
        continue;
      }

      // scheduled polls: holes inside a job's run are losses; gaps between runs need an owner that was down
      if (!api.sse()) {
        Long previousSequence = null;
        Long previousAt = null;
        List<long[]> runs = new ArrayList<>(); // [firstAt, lastAt]
        for (Map.Entry<Long, Long> poll : r.pollTimes.entrySet()) {
          if (previousSequence != null && poll.getKey() - previousSequence < RUN_BREAK) {
            long missing = poll.getKey() - previousSequence - 1;
            if (missing > 0) {
              lostInRun += missing;
              failures.add(id + ": " + missing + " poll(s) missing inside one job run after sequence " + previousSequence);
            }
            runs.getLast()[1] = poll.getValue();
          } else {
            runs.add(new long[] {poll.getValue(), poll.getValue()});
          }
          previousSequence = poll.getKey();
          previousAt = poll.getValue();
        }
        runs.sort(Comparator.comparingLong(run -> run[0]));
        long end = Long.MIN_VALUE;
        for (long[] run : runs) {
          if (end != Long.MIN_VALUE && run[0] - end > 2 * api.intervalMs() + 1_000) {
            long gap = run[0] - end;
            gaps.add(gap);
            missedInGaps += Math.max(0, gap / api.intervalMs() - 1);
            Instant from = Instant.ofEpochMilli(end);
            Instant to = Instant.ofEpochMilli(run[0]);
            if (events.stream().filter(Verifier::stopsPolling).noneMatch(e -> e.overlaps(from, to, Duration.ofSeconds(5)))) {
              failures.add(id + ": a " + gap + " ms gap in polling from " + from + " that no chaos event explains");
            }
          }
          end = Math.max(end, run[1]);
        }
        Objects.requireNonNull(previousAt);
      }

      // status == distinct raw samples; changes == the changes topic
      ApiStatus status = statuses.get(id);
      List<Change> apiChanges = changes.getOrDefault(id, List.of());
      changeCount += apiChanges.size();
      if (status == null) {
        failures.add(id + ": no status on " + Topics.STATUS.name());
      } else {
        if (status.getSamples() != distinct) {
          failures.add(id + ": status samples " + status.getSamples() + " != " + distinct + " distinct raw samples");
        }
        if (status.getChanges() != apiChanges.size()) {
          failures.add(id + ": status changes " + status.getChanges() + " != " + apiChanges.size() + " on " + Topics.CHANGES.name());
        }
        if (!apiChanges.isEmpty() && !apiChanges.getLast().getNewHash().equals(status.getLastContentHash())) {
          failures.add(id + ": last change's newHash is not the status's lastContentHash");
        }
      }

      // the chain of changes, and no poll sequence analysed twice
      Set<Long> sequences = new HashSet<>();
      for (int i = 0; i < apiChanges.size(); i++) {
        Change change = apiChanges.get(i);
        if (i > 0 && !Objects.equals(change.getPreviousHash(), apiChanges.get(i - 1).getNewHash())) {
          failures.add(id + ": change chain broken at change " + (i + 1) + " (previousHash " + change.getPreviousHash()
              + " != newHash before " + apiChanges.get(i - 1).getNewHash() + ")");
        }
        if (change.getSource() == Source.POLL && !sequences.add(change.getSequence())) {
          failures.add(id + ": poll sequence " + change.getSequence() + " analysed twice (two changes)");
        }
      }

      // windows: topic == raw, per window
      Map<String, Map<Long, ApiMetrics>> apiMetrics = metrics.getOrDefault(id, Map.of());
      for (Map.Entry<String, Long> window : WINDOWS.entrySet()) {
        Map<Long, Long> expected = new TreeMap<>();
        for (long at : r.sampleTimes) {
          expected.merge(Math.floorDiv(at, window.getValue()) * window.getValue(), 1L, Long::sum);
        }
        Map<Long, ApiMetrics> actual = apiMetrics.getOrDefault(window.getKey(), Map.of());
        Set<Long> starts = new TreeSet<>(expected.keySet());
        starts.addAll(actual.keySet());
        for (long start : starts) {
          windowsChecked++;
          long want = expected.getOrDefault(start, 0L);
          long got = actual.containsKey(start) ? actual.get(start).getSamples() : 0;
          if (want != got) {
            failures.add(id + ": window " + window.getKey() + "@" + Instant.ofEpochMilli(start) + " has " + got
                + " samples on " + Topics.METRICS.name() + ", raw has " + want);
          }
        }
      }

      // stores over REST == output topics
      int index = apiIndex++;
      try {
        if (status != null) {
          JsonNode view = stores.status(id, index);
          compare(failures, id, "status samples", view.path("samples").asLong(-1), status.getSamples());
          compare(failures, id, "status changes", view.path("changes").asLong(-1), status.getChanges());
          compare(failures, id, "status errors", view.path("errors").asLong(-1), status.getErrors());
          compare(failures, id, "status notModified", view.path("notModified").asLong(-1), status.getNotModified());
          compare(failures, id, "status payloads", view.path("payloads").asLong(-1), status.getPayloads());
          if (!Objects.equals(view.path("lastContentHash").asText(null), status.getLastContentHash())) {
            failures.add(id + ": store lastContentHash differs from " + Topics.STATUS.name());
          }
        }
        for (Map.Entry<String, Map<Long, ApiMetrics>> window : apiMetrics.entrySet()) {
          Map<Long, ApiMetrics> onTopic = window.getValue();
          if (onTopic.isEmpty()) {
            continue;
          }
          Instant from = Instant.ofEpochMilli(((TreeMap<Long, ApiMetrics>) onTopic).firstKey());
          Instant to = Instant.ofEpochMilli(((TreeMap<Long, ApiMetrics>) onTopic).lastKey()); // window starts in [from, to]
          JsonNode view = stores.metrics(id, window.getKey(), from, to, index);
          Map<Long, JsonNode> stored = new HashMap<>();
          for (JsonNode item : view.path("items")) {
            stored.put(Instant.parse(item.path("windowStart").asText()).toEpochMilli(), item);
          }
          for (ApiMetrics m : onTopic.values()) {
            JsonNode item = stored.remove(m.getWindowStart());
            String label = "window " + window.getKey() + "@" + Instant.ofEpochMilli(m.getWindowStart());
            if (item == null) {
              failures.add(id + ": " + label + " is on " + Topics.METRICS.name() + " but not in the store");
              continue;
            }
            compare(failures, id, label + " samples", item.path("samples").asLong(-1), m.getSamples());
            compare(failures, id, label + " changes", item.path("changes").asLong(-1), m.getChanges());
            compare(failures, id, label + " errors", item.path("errors").asLong(-1), m.getErrors());
            compare(failures, id, label + " payloads", item.path("payloads").asLong(-1), m.getPayloads());
          }
          for (Long extra : stored.keySet()) {
            failures.add(id + ": window " + window.getKey() + "@" + Instant.ofEpochMilli(extra) + " is in the store but not on "
                + Topics.METRICS.name());
          }
        }
      } catch (IOException e) {
        failures.add(id + ": the control API did not answer: " + e.getMessage());
      }
    }

    // acknowledged registrations
    long lostRegistrations = 0;
    for (String id : acknowledged) {
      boolean onTopic = registrations.containsKey(id);
      int code;
      try {
        code = stores.registration(id);
      } catch (IOException e) {
        code = -1;
      }
      if (!onTopic || code != 200) {
        lostRegistrations++;
        failures.add(id + ": acknowledged registration lost (on topic: " + onTopic + ", GET /apis/" + id + ": " + code + ")");
      }
    }

    figures.put("apis", apis.size());
    figures.put("samples", samples);
    figures.put("polls", polls);
    figures.put("sseSamples", sseSamples);
    figures.put("changes", changeCount);
    figures.put("windows", windowsChecked);
    figures.put("rawDuplicates", rawDuplicates);
    figures.put("lostInRun", lostInRun);
    figures.put("registrationsAcked", acknowledged.size());
    figures.put("registrationsLost", lostRegistrations);
    figures.put("gaps", gaps.size());
    figures.put("gapPollsMissed", missedInGaps);
    figures.put("gapMaxS", gaps.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0);
    figures.put("gapMeanS", Math.round(gaps.stream().mapToLong(Long::longValue).average().orElse(0) / 100.0) / 10.0);
    return new Result(failures, figures);
  }

  /**
   * Events that can leave an API unpolled for a while: its ingest owner killed or frozen, or a broker
   * down (the ingest group's coordinator may move and the group rebalance). A topology kill cannot.
   */
  private static boolean stopsPolling(ChaosEvent event) {
    return switch (event.kind()) {
      case KILL_INGEST, KILL_LEADER_BROKER, RESTART_BROKER -> true;
      case PAUSE -> event.target().startsWith("ingest");
      case KILL_TOPOLOGY -> false;
    };
  }

  private static void compare(List<String> failures, String id, String what, long store, long topic) {
    if (store != topic) {
      failures.add(id + ": " + what + " in the store (REST) " + store + " != " + topic + " on the output topic");
    }
  }

  private JsonNode get(String url) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return JSON.readTree(response.body());
        }
        if (attempt >= 5) {
          throw new IOException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
      } catch (IOException e) {
        if (attempt >= 5) {
          throw e;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      sleep(1000L * attempt);
    }
  }

  private int status(String url) throws IOException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String enc(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads a whole topic read_committed, from the beginning to the end offsets taken now, in offset order per partition. */
  <V> void readTopic(TopicSpec<String, V> spec, BiConsumer<String, V> onRecord) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "120000");
    var deserializer = spec.valueSerde().deserializer();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(spec.name(), Duration.ofSeconds(120)).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(120));
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(120)) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + spec.name() + " to its end within 10 minutes");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            onRecord.accept(record.key(), record.value() == null ? null : deserializer.deserialize(spec.name(), record.value()));
          }
        }
      }
    }
  }
}
