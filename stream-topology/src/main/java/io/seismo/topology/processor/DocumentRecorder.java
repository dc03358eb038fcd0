package io.seismo.topology.processor;

import io.seismo.schemas.AlertKind;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.Change;
import io.seismo.schemas.Registration;
import io.seismo.schemas.Sightings;
import io.seismo.schemas.Source;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.topology.analysis.DocumentAnalyzer;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the documents and recent-changes stores hold of an API: its document, kept current after each
 * analysed payload with its {@link Change} emitted and logged; and beside it the stream's own document
 * ({@code <apiId>#sse}) and, for mode BOTH, the {@link Sightings} of each version.
 */
final class DocumentRecorder {

  /** Key suffix, in the documents store, of an API's {@link Sightings} (mode BOTH). */
  static final String SIGHTINGS_SUFFIX = "#versions";
  /** Key suffix, in the documents store, of the full document an API's stream delivered (patches apply to it). */
  static final String STREAM_DOCUMENT_SUFFIX = "#sse";
  private static final int MAX_LOGGED_PATCH_CHARS = 64 * 1024;
  private static final AvroSerde<Sightings> SIGHTINGS = AvroSerde.of(Sightings.class);

  private final FieldFrequencyRecorder fields;
  private final Emitter emitter;
  private KeyValueStore<String, byte[]> documents;
  private KeyValueStore<String, Change> recentChanges;

  DocumentRecorder(FieldFrequencyRecorder fields, Emitter emitter) {
    this.fields = fields;
    this.emitter = emitter;
  }

  void init(ProcessorContext<?, ?> context) {
    this.documents = context.getStateStore(StoreNames.DOCUMENTS);
    this.recentChanges = context.getStateStore(StoreNames.RECENT_CHANGES);
  }

  /**
   * Keeps the document current after an analysed payload: stores it when new or changed, counts and
   * emits the change (with {@code source}), logs it and raises a CHANGED alert when asked to.
   */
  void record(String apiId, Source source, long sequence, Instant at, DocumentAnalyzer.Analysis analysis,
              ApiStatus status, Registration registration, long timestamp) {
    fields.record(apiId, at.toEpochMilli(), analysis);
    status.setLastBodyHash(analysis.bodyHash());
    if (analysis.document() != null) {
      status.setLastDocumentBytes(analysis.documentBytes());
    }
    if (!analysis.first() && !analysis.changed()) {
      return; // fast path: same hash, nothing else to do
    }
    if (analysis.json()) {
      documents.put(apiId, analysis.document());
    } else {
      documents.delete(apiId);
    }
    String previousHash = status.getLastContentHash();
    status.setLastContentHash(analysis.hash());
    if (!analysis.changed()) {
      return; // the first document is a baseline, not a change
    }
    status.setChanges(status.getChanges() + 1);
    status.setLastChangeAt(at.toEpochMilli());
    Change change = Change.newBuilder()
        .setApiId(apiId)
        .setSource(source)
        .setAt(at)
        .setSequence(sequence)
        .setPatch(analysis.patch())
        .setOpCount(analysis.opCount())
        .setPatchBytes(analysis.patchBytes())
        .setDocumentBytes(analysis.documentBytes())
        .setPreviousHash(previousHash)
        .setNewHash(analysis.hash())
        .build();
    emitter.emit(Sinks.CHANGES, apiId, change, timestamp);
    recentChanges.put(RingKeys.CHANGES.key(apiId, status.getChanges()), logged(change));
    if (registration != null && registration.getAlertOnChange()) {
      emitter.alert(apiId, AlertKind.CHANGED, analysis.patch() == null ? "payload changed (not JSON)"
          : "document changed: " + analysis.opCount() + " operation(s), " + analysis.patchBytes() + " patch bytes",
          timestamp);
    }
  }

  /** The full document the API's stream delivered last, or null. */
  byte[] streamDocument(String apiId) {
    return documents.get(apiId + STREAM_DOCUMENT_SUFFIX);
  }

  void keepStreamDocument(String apiId, byte[] document) {
    documents.put(apiId + STREAM_DOCUMENT_SUFFIX, document);
  }

  /** Mode BOTH: the versions one side saw and the other not yet (kept beside the API's documents). */
  Sightings sightingsOf(String apiId) {
    byte[] stored = documents.get(apiId + SIGHTINGS_SUFFIX);
    return stored == null ? Sightings.newBuilder().build()
        : SIGHTINGS.deserializer().deserialize(StoreNames.DOCUMENTS, stored);
  }

  void keepSightings(String apiId, Sightings sightings) {
    documents.put(apiId + SIGHTINGS_SUFFIX, SIGHTINGS.serializer().serialize(StoreNames.DOCUMENTS, sightings));
  }

  /** The change as the log keeps it: a huge patch is left out (it is on the changes topic). */
  private static Change logged(Change change) {
    return change.getPatch() != null && change.getPatch().length() > MAX_LOGGED_PATCH_CHARS
        ? Change.newBuilder(change).setPatch(null).build()
        : change;
  }
}
