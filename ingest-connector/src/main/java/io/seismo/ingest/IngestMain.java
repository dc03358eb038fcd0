package io.seismo.ingest;

import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.ServiceRunner;

/** Entry point of the ingest-connector process. Configuration: see {@link IngestConfig}. */
public final class IngestMain {

  private IngestMain() {}

  public static void main(String[] args) throws InterruptedException {
    ServiceRunner.run("seismo-ingest", settings -> IngestService.start(IngestConfig.from(settings)));
  }
}
