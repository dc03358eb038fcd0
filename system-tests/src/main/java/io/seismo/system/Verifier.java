package io.seismo.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.ApiMetrics;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Registration;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks, per API, what a chaos run must not have broken (the list is in docs/cluster-and-chaos.md): it reads the
 * topics ({@link RawTopics}, {@link OutputTopics}) and the stores ({@link RestStores}) and runs the checks on them.
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

  /** Raw samples of one API: polls by sequence, and every sample's time. */
  static final class Raw {
    final TreeMap<Long, Long> pollTimes = new TreeMap<>(); // sequence -> requestedAt
    final Set<String> sseKeys = new HashSet<>();
    final List<Long> sampleTimes = new ArrayList<>();
    int duplicates;
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

  private final TopicReader topics;
  private final RestStores stores;

  public Verifier(String bootstrap, List<String> apiUrls) {
    this.topics = new TopicReader(bootstrap);
    this.stores = new RestStores(apiUrls);
  }

  /** Reads the raw topics once (they no longer change when the ingest processes are stopped). */
  public Map<String, Raw> readRaw() {
    return RawTopics.read(topics);
  }

  /**
   * Checks everything; {@code raw} from {@link #readRaw()}, {@code events} what the chaos run did (the
   * gaps they explain), {@code acknowledged} the apiIds the control API answered 201 for.
   */
  public Result verify(Collection<Api> apis, Map<String, Raw> raw, List<ChaosEvent> events, Set<String> acknowledged) {
    return check(apis, raw, OutputTopics.read(topics), stores, events, acknowledged);
  }

  /** The checks themselves, on data already read (a test feeds its own). */
  static Result check(Collection<Api> apis, Map<String, Raw> raw, Outputs outputs, Stores stores, List<ChaosEvent> events,
                      Set<String> acknowledged) {
    List<String> failures = new ArrayList<>();
    Tally tally = new Tally();
    int apiIndex = 0;
    for (Api api : apis) {
      String id = api.apiId();
      Raw r = raw.getOrDefault(id, new Raw());
      if (!RawChecks.samples(api, r, failures, tally)) {
        continue;
      }
      RawChecks.polling(api, r, events, failures, tally);
      ApiStatus status = outputs.statuses().get(id);
      List<Change> apiChanges = outputs.changes().getOrDefault(id, List.of());
      tally.changes += apiChanges.size();
      OutputChecks.status(id, r.sampleTimes.size(), status, apiChanges, failures);
      OutputChecks.changes(id, apiChanges, failures);
      Map<String, Map<Long, ApiMetrics>> apiMetrics = outputs.metrics().getOrDefault(id, Map.of());
      OutputChecks.windows(id, r.sampleTimes, apiMetrics, failures, tally);
      StoreChecks.apiStores(id, apiIndex++, status, apiMetrics, stores, failures);
    }
    StoreChecks.registrations(acknowledged, outputs.registrations(), stores, failures, tally);
    return new Result(failures, tally.figures(apis.size(), acknowledged.size()));
  }
}
