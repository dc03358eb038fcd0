package io.seismo.api;

import io.seismo.api.config.ApiConfig;
import io.seismo.runtime.config.ServiceRunner;

/** Entry point of the control-api process (with its embedded topology instance). See {@link ApiConfig}. */
public final class ApiMain {

  private ApiMain() {}

  public static void main(String[] args) throws InterruptedException {
    ServiceRunner.run("seismo-api", settings -> ControlApi.start(ApiConfig.from(settings)));
  }
}
