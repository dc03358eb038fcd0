package io.seismo.api.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A request about one API logs its apiId as a field of its own (see LogFormatTest for how lines show it). */
class RequestLogContextTest {

  @Test
  void shouldTakeTheApiIdOfARequestFromItsPathWhenItIsAboutOneApi() {
    assertThat(ApiRoutes.requestApiId("/apis/weather/status")).contains("weather");
    assertThat(ApiRoutes.requestApiId("/apis/weather")).contains("weather");
    assertThat(ApiRoutes.requestApiId("/apis/")).isEmpty();
    assertThat(ApiRoutes.requestApiId("/apis")).isEmpty();
    assertThat(ApiRoutes.requestApiId("/dlq/3")).isEmpty();
  }
}
