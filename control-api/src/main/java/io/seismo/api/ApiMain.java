package io.seismo.api;

import io.seismo.api.config.ApiConfig;
import io.seismo.schemas.config.Settings;
import java.util.concurrent.CountDownLatch;

/** Entry point of the control-api process (with its embedded topology instance). See {@link ApiConfig}. */
public final class ApiMain {

  private ApiMain() {}

  public static void main(String[] args) throws InterruptedException {
    ControlApi api;
    try {
      api = ControlApi.start(ApiConfig.from(Settings.fromEnvironment()));
    } catch (Settings.ConfigException e) {
      System.err.println("seismo: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      api.close();
      done.countDown();
    }, "seismo-api-shutdown"));
    done.await();
  }
}
