package io.seismo.topology.processor;

import io.seismo.schemas.ApiState;
import io.seismo.schemas.ApiStatus;

/** Factory for the status of an API that has not been sampled yet. */
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
}
