package io.seismo.ingest;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.schemas.config.Settings;
import java.util.concurrent.CountDownLatch;

/** Entry point of the ingest-connector process. Configuration: see {@link IngestConfig}. */
public final class IngestMain {

  private IngestMain() {}

  public static void main(String[] args) throws InterruptedException {
    IngestConfig config;
    try {
      config = IngestConfig.from(Settings.fromEnvironment());
    } catch (Settings.ConfigException e) {
      System.err.println("seismo: " + e.getMessage());
      System.exit(2);
      return;
    }
    IngestService service = IngestService.start(config);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      done.countDown();
    }, "seismo-ingest-shutdown"));
    done.await();
  }
}
