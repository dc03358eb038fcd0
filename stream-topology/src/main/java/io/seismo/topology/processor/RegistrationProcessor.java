package io.seismo.topology.processor;

import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.topology.change.ChangeRules;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the status in step with registrations: a new API is PENDING, a stopped one STOPPED, a
 * restarted one PENDING until its next sample; a deleted one (tombstone) loses its status, document
 * and logs (its metric windows expire with their retention), and a tombstone is emitted to the
 * compacted status topic. Part of the {@link AnalysisRouter} node, whose tables it shares.
 */
final class RegistrationProcessor implements Processor<String, Registration, String, Object> {

  private final CachedTable<Registration> registrations;
  private final CachedTable<ApiStatus> statuses;
  private final Emitter emitter = new Emitter();
  private KeyValueStore<String, byte[]> documents;
  private KeyValueStore<String, ?> executions;
  private KeyValueStore<String, ?> recentChanges;

  RegistrationProcessor(CachedTable<Registration> registrations, CachedTable<ApiStatus> statuses) {
    this.registrations = registrations;
    this.statuses = statuses;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    emitter.init(context);
    this.documents = context.getStateStore(StoreNames.DOCUMENTS);
    this.executions = context.getStateStore(StoreNames.EXECUTIONS);
    this.recentChanges = context.getStateStore(StoreNames.RECENT_CHANGES);
  }

  @Override
  public void process(Record<String, Registration> record) {
    String apiId = record.key();
    if (apiId == null) {
      return;
    }
    Registration registration = record.value();
    if (registration == null) {
      registrations.delete(apiId);
      statuses.delete(apiId);
      documents.delete(apiId);
      documents.delete(apiId + DocumentRecorder.STREAM_DOCUMENT_SUFFIX);
      documents.delete(apiId + DocumentRecorder.SIGHTINGS_SUFFIX);
      for (RingKeys ring : List.of(RingKeys.EXECUTIONS, RingKeys.EXECUTIONS_BEFORE_500)) {
        for (int n = 1; n <= ring.slots(); n++) {
          executions.delete(ring.key(apiId, n));
        }
      }
      for (int n = 1; n <= RingKeys.CHANGES.slots(); n++) {
        recentChanges.delete(RingKeys.CHANGES.key(apiId, n));
      }
      emitter.emit(Sinks.STATUS, apiId, null, record.timestamp());
      return;
    }
    Registration previous = registrations.get(apiId);
    registrations.put(apiId, registration);
    ApiStatus stored = statuses.get(apiId);
    ApiStatus status = stored == null ? Statuses.pending(apiId, registration.getPollIntervalMs()) : Statuses.copy(stored);
    status.setPollIntervalMs(registration.getPollIntervalMs());
    if (previous != null && (!Objects.equals(previous.getJsonPointer(), registration.getJsonPointer())
        || ChangeRules.changed(previous, registration))) {
      status.setLastBodyHash(null); // the same bytes may now narrow or normalise to another document
    }
    status.setUpdatedAt(record.timestamp());
    if (registration.getDesiredState() == DesiredState.STOPPED) {
      status.setState(ApiState.STOPPED);
    } else if (status.getState() == ApiState.STOPPED) {
      status.setState(ApiState.PENDING);
      status.setLastSampleAt(null); // stall detection starts again from now
    }
    statuses.put(apiId, status);
    emitter.emit(Sinks.STATUS, apiId, status, record.timestamp());
  }
}
