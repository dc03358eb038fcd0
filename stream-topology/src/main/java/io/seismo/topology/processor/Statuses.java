package io.seismo.topology.processor;

import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;
import io.seismo.topology.store.ShallowCopy;

/**
 * The status of an API that has not been sampled yet, and copies to change: a status the store holds
 * is never changed in place (the status store is write-behind, read by interactive queries meanwhile).
 */
final class Statuses {

  private Statuses() {}

  static ApiStatus pending(String apiId, long pollIntervalMs) {
    return ApiStatus.newBuilder()
        .setApiId(apiId)
        .setState(ApiState.PENDING)
        .setPollIntervalMs(pollIntervalMs)
        .setUpdatedAt(System.currentTimeMillis())
        .build();
  }

  static ApiStatus copy(ApiStatus status) {
    return ShallowCopy.of(status, ApiStatus::new);
  }
}
