package io.seismo.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A request about one API logs its apiId as a field of its own (see LogFormatTest for how lines show it). */
class RequestLogContextTest {

  @Test
  void shouldTakeTheApiIdOfARequestFromItsPathWhenItIsAboutOneApi() {
    assertThat(ControlApi.requestApiId("/apis/weather/status")).contains("weather");
    assertThat(ControlApi.requestApiId("/apis/weather")).contains("weather");
    assertThat(ControlApi.requestApiId("/apis/")).isEmpty();
    assertThat(ControlApi.requestApiId("/apis")).isEmpty();
    assertThat(ControlApi.requestApiId("/dlq/3")).isEmpty();
  }
}
