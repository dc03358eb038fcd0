package io.seismo.api.query;

import io.seismo.api.error.ProblemException;
import io.seismo.schemas.Change;
import io.seismo.schemas.ChangeLog;
import io.seismo.schemas.serde.AvroSerde;
import io.seismo.topology.store.RingKeys;
import io.seismo.topology.store.StoreNames;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The most recent changes of an API, newest first, wherever they are owned. The topology keeps them
 * as a ring of slots ({@link RingKeys#CHANGES}) in the API's partition; the owner reads the range, and
 * other instances get it from the owner's internal store endpoint as one {@link ChangeLog}.
 */
public final class RecentChanges {

  private static final AvroSerde<ChangeLog> WIRE = AvroSerde.of(ChangeLog.class);
  private static final Comparator<Change> NEWEST_FIRST =
      Comparator.comparing(Change::getAt).thenComparingLong(Change::getSequence).reversed();

  private final StoreQueries queries;

  public RecentChanges(StoreQueries queries) {
    this.queries = queries;
  }

  public List<Change> newestFirst(String apiId, String authorization) {
    HostInfo owner = queries.owner(StoreNames.RECENT_CHANGES, apiId);
    if (queries.isSelf(owner)) {
      return local(apiId);
    }
    return queries.remoteBytes(owner, StoreNames.RECENT_CHANGES, apiId, authorization)
        .map(bytes -> WIRE.deserializer().deserialize(StoreNames.RECENT_CHANGES, bytes).getEntries())
        .orElse(List.of());
  }

  /** What the internal store endpoint answers for the API: its changes as one serialized log. */
  public byte[] localBytes(String apiId) {
    if (!queries.isSelf(queries.owner(StoreNames.RECENT_CHANGES, apiId))) {
      throw ProblemException.unavailable("this instance no longer owns the key; retry shortly");
    }
    return WIRE.serializer().serialize(StoreNames.RECENT_CHANGES, new ChangeLog(apiId, local(apiId)));
  }

  private List<Change> local(String apiId) {
    return queries.<Change>localRange(StoreNames.RECENT_CHANGES, RingKeys.CHANGES.from(apiId), RingKeys.CHANGES.to(apiId))
        .stream().sorted(NEWEST_FIRST).toList();
  }
}
