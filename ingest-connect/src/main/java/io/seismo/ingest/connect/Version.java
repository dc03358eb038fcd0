package io.seismo.ingest.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The connector's version, as Connect's REST API shows it (GET /connector-plugins): the Maven project's. */
final class Version {

  static final String VERSION = read();

  private Version() {}

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
