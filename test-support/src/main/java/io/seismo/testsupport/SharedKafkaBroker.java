package io.seismo.testsupport;

/**
 * One real broker per test JVM, shared by every integration test in it, started on first use and
 * stopped when the JVM exits. Tests isolate themselves by apiId and application id, not by broker.
 */
public final class SharedKafkaBroker {

  private SharedKafkaBroker() {}

  public static String bootstrapServers() {
    return Holder.BROKER.bootstrapServers();
  }

  private static final class Holder {
    static final EmbeddedKafkaBroker BROKER = start();

    private static EmbeddedKafkaBroker start() {
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-kafka-broker-shutdown"));
      return broker;
    }
  }
}
