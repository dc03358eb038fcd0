package io.seismo.ingest.connect;

import io.seismo.ingest.Jobs;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.ingest.observe.JobState;
import io.seismo.ingest.poll.HttpPoller;
import io.seismo.ingest.poll.PollCheckpoint;
import io.seismo.ingest.poll.PollScheduler;
import io.seismo.ingest.sse.SseSupervisor;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.Registration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the poll and SSE jobs of the registrations in its partitions of {@code seismo.registrations} — the
 * standalone ingest's {@link PollScheduler}, {@link SseSupervisor} and {@link HttpPoller}, behind the same
 * address guard and secret resolver — and hands what they observe to the worker (see {@link RecordQueue}).
 * A job starting here continues from the task's source offsets: the next poll sequence, the last ETag and
 * Last-Modified for conditional requests, the last SSE event id for {@code Last-Event-ID}.
 */
public final class SeismoSourceTask extends SourceTask {

  private static final Logger log = LoggerFactory.getLogger(SeismoSourceTask.class);
  private static final int MAX_BATCH = 1000;
  private static final long POLL_WAIT_MS = 1000;
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

  private RecordQueue queue;
  private HttpPoller poller;
  private PollScheduler scheduler;
  private SseSupervisor streams;
  private Jobs jobs;
  private RegistrationReader reader;
  private TaskMetrics metrics;
  private Set<Integer> partitions;

  private final Object lock = new Object();
  /** Registrations read before the task's offsets were looked up (all of them at start, in one read). */
  private final Map<String, Registration> early = new LinkedHashMap<>();
  private boolean ready;
  private final Map<Map<String, String>, Map<String, Object>> storedOffsets = new HashMap<>();

  @Override
  public String version() {
    return Version.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    IngestConfig config = SeismoConnectorConfig.ingestConfig(props);
    Map<String, String> secretValues = SeismoConnectorConfig.secrets(props);
    // seismo.secret.NAME first (a Connect config provider's value), then the worker's environment; the allowlist
    // is checked before either is read
    SecretResolver secrets = new SecretResolver(
        name -> secretValues.containsKey(name) ? secretValues.get(name) : System.getenv(name), config.secretNames());
    AddressGuard guard = AddressGuard.allowing(config.allowHosts());
    this.partitions = Arrays.stream(props.getOrDefault(SeismoConnectorConfig.TASK_PARTITIONS, "").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).collect(Collectors.toUnmodifiableSet());
    this.queue = new RecordQueue(config.outageBufferBytes());
    this.poller = new HttpPoller(config, guard, secrets, Clock.systemUTC());
    this.metrics = new TaskMetrics(context.pluginMetrics(), queue, this::jobStates);
    this.scheduler = new PollScheduler(config, poller, queue, metrics, this::pollCheckpoint);
    this.streams = new SseSupervisor(config, poller.client(), guard, secrets, queue, this::lastEventId);
    this.jobs = new Jobs(scheduler, streams);
    this.reader = new RegistrationReader(config.bootstrapServers(), SeismoConnectorConfig.kafkaOverrides(props),
        "seismo-connect-task-" + partitions, partitions::contains, this::registration);
    try {
      if (!reader.start("seismo-connect-task-registrations", LOAD_TIMEOUT)) {
        log.warn("registrations of partitions {} not read to their end within {}: starting what was read", partitions,
            LOAD_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      List<Map<String, String>> keys = new ArrayList<>();
      early.keySet().forEach(apiId -> {
        keys.add(RecordQueue.partition(apiId, RecordQueue.POLL));
        keys.add(RecordQueue.partition(apiId, RecordQueue.SSE));
      });
      if (!keys.isEmpty()) {
        storedOffsets.putAll(context.offsetStorageReader().offsets(keys)); // one read for every API at start
      }
      early.forEach(this::apply);
      early.clear();
      ready = true;
    }
    log.info("seismo source task started partitions={} jobs={}", partitions, jobs.running().size());
  }

  private void registration(int partition, String apiId, Registration registration) {
    synchronized (lock) {
      if (!ready) {
        early.put(apiId, registration); // the latest wins, as the compacted topic says
        return;
      }
      apply(apiId, registration);
    }
  }

  private void apply(String apiId, Registration registration) {
    if (registration != null) {
      queue.version(apiId, registration.getVersion());
    }
    jobs.apply(apiId, registration);
  }

  /** Where a poll job starting for {@code registration} continues: this task's last record, else the stored offset. */
  private Optional<PollCheckpoint> pollCheckpoint(Registration registration) {
    String apiId = registration.getApiId();
    RecordQueue.PollState state = queue.pollState(apiId);
    if (state == null) {
      Map<String, Object> offset = storedOffset(RecordQueue.partition(apiId, RecordQueue.POLL));
      if (offset == null || !(offset.get(RecordQueue.SEQUENCE) instanceof Number sequence)) {
        return Optional.empty();
      }
      state = new RecordQueue.PollState(new PollCheckpoint(sequence.longValue(), (String) offset.get(RecordQueue.ETAG),
          (String) offset.get(RecordQueue.LAST_MODIFIED)), number(offset.get(RecordQueue.VERSION)));
    }
    PollCheckpoint checkpoint = state.checkpoint();
    if (state.version() != registration.getVersion()) {
      // the registration changed (URL, headers): the validators were for another request
      checkpoint = new PollCheckpoint(checkpoint.sequence(), null, null);
    }
    log.info("poll job resumes apiId={} after sequence={} conditional={}", apiId, checkpoint.sequence(),
        checkpoint.etag() != null || checkpoint.lastModified() != null);
    return Optional.of(checkpoint);
  }

  /** The event id a stream starting for {@code registration} resumes after. */
  private Optional<String> lastEventId(Registration registration) {
    String apiId = registration.getApiId();
    RecordQueue.SseState state = queue.sseState(apiId);
    if (state == null) {
      Map<String, Object> offset = storedOffset(RecordQueue.partition(apiId, RecordQueue.SSE));
      if (offset == null) {
        return Optional.empty();
      }
      state = new RecordQueue.SseState((String) offset.get(RecordQueue.LAST_EVENT_ID), number(offset.get(RecordQueue.VERSION)));
    }
    if (state.version() != registration.getVersion() || state.lastEventId() == null) {
      return Optional.empty();
    }
    log.info("sse job resumes apiId={} after event id={}", apiId, state.lastEventId());
    return Optional.of(state.lastEventId());
  }

  private Map<String, Object> storedOffset(Map<String, String> partition) {
    synchronized (lock) {
      if (storedOffsets.containsKey(partition)) {
        return storedOffsets.get(partition);
      }
    }
    return context.offsetStorageReader().offset(partition); // an API registered after the task started
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : -1;
  }

  private List<JobState> jobStates() {
    List<JobState> states = new ArrayList<>(scheduler.states());
    states.addAll(streams.states());
    return states;
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    return queue.take(MAX_BATCH, POLL_WAIT_MS);
  }

  @Override
  public void stop() {
    log.info("seismo source task stopping partitions={}", partitions);
    if (reader != null) {
      reader.close();
    }
    if (queue != null) {
      queue.close(); // what the jobs observe from now on is not delivered: the offsets resume before it
    }
    if (streams != null) {
      streams.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    if (poller != null) {
      poller.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
