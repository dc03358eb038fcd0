package io.seismo.topology.processor;

import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.PollResult;
import io.seismo.schemas.Registration;
import io.seismo.schemas.SseEvent;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.config.TopologyConfig;
import io.seismo.topology.store.StoreNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The one processor node that writes the topology's stores, dispatching registrations, polls and SSE events to
 * their processors and keeping objects for the stores; see docs/architecture.md.
 */
public final class AnalysisRouter implements Processor<String, Object, String, Object> {

  private final CachedTable<Registration> registrations = new CachedTable<>(StoreNames.REGISTRATIONS);
  private final CachedTable<ApiStatus> statuses = new CachedTable<>(StoreNames.STATUS);
  private final WindowCache windows = new WindowCache();
  private final DocumentTrees trees = new DocumentTrees();
  private final FieldFrequencyRecorder fields = new FieldFrequencyRecorder();
  /**
   * When (this process's wall clock) each API's last sample was analysed: the stall check measures from
   * it, so an ingest host whose clock is behind this one does not make every API look stalled. In memory
   * and bounded; without an entry (after a restart) the check measures from the sample's own time.
   */
  private final Map<String, Long> analysedAt = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > CachedTable.MAX_ENTRIES;
    }
  };
  private final RegistrationProcessor registrationChanges;
  private final PollAnalysisProcessor polls;
  private final SseAnalysisProcessor events;
  private ProcessorContext<String, Object> context;
  /**
   * APIs whose last registration record was a tombstone: their raw records still on the way (a poll in
   * flight at the deletion, the ingest's outage buffer, SSE events) are dropped instead of creating a
   * status, a document and windows for an API that no longer exists. In memory and bounded (a raw record
   * of a deleted API arrives within moments of the deletion); a new registration of the id clears it.
   */
  private final Set<String> deleted = Collections.newSetFromMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > CachedTable.MAX_ENTRIES;
        }
      });

  /** Supplies the analysis node's routers and declares the stores they write. */
  public static ProcessorSupplier<String, Object, String, Object> supplier(TopologyConfig config) {
    return new AnalysisSupplier(config);
  }

  AnalysisRouter(TopologyConfig config) {
    AnalysisProcessor.Tables tables = new AnalysisProcessor.Tables(registrations, statuses, windows, trees, analysedAt, fields);
    this.registrationChanges = new RegistrationProcessor(registrations, statuses);
    this.polls = new PollAnalysisProcessor(config, tables);
    this.events = new SseAnalysisProcessor(config, tables);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    registrations.init(context);
    statuses.init(context);
    windows.clear();
    deleted.clear();
    analysedAt.clear();
    registrationChanges.init(context);
    fields.init(context);
    polls.init(context);
    events.init(context);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void process(Record<String, Object> record) {
    if (record.value() instanceof PollResult) {
      if (!deleted.contains(record.key())) {
        polls.process((Record<String, PollResult>) (Record<?, ?>) record);
      }
    } else if (record.value() instanceof SseEvent) {
      if (!deleted.contains(record.key())) {
        events.process((Record<String, SseEvent>) (Record<?, ?>) record);
      }
    } else if (record.value() instanceof Registration || fromRegistrationsTopic()) {
      // a registration tombstone has no value to tell it by, only its topic
      registrationChanges.process((Record<String, Registration>) (Record<?, ?>) record);
      if (record.key() != null) {
        if (record.value() == null) {
          deleted.add(record.key());
          analysedAt.remove(record.key());
        } else {
          deleted.remove(record.key());
        }
      }
    }
  }

  private boolean fromRegistrationsTopic() {
    return context.recordMetadata().map(RecordMetadata::topic).filter(Topics.REGISTRATIONS.name()::equals).isPresent();
  }
}
