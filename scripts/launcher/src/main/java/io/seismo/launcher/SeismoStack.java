package io.seismo.launcher;

import io.seismo.api.ControlApi;
import io.seismo.api.config.ApiConfig;
import io.seismo.ingest.IngestService;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.topic.TopicInitializer;
import io.seismo.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three Seismo services in one JVM against one Kafka cluster: topics created, control API (with
 * its topology instance) and ingest started. Used by the quickstart and the end-to-end tests; in
 * production each service runs as its own process with the same configuration variables.
 */
public final class SeismoStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SeismoStack.class);

  private final ControlApi api;
  private final IngestService ingest;

  private SeismoStack(ControlApi api, IngestService ingest) {
    this.api = api;
    this.ingest = ingest;
  }

  /**
   * @param bootstrapServers the cluster
   * @param settings         SEISMO_* settings for all services (SEISMO_BOOTSTRAP_SERVERS is set here)
   * @param partitions       partitions of each topic when it is created
   */
  public static SeismoStack start(String bootstrapServers, Settings settings, int partitions) {
    Map<String, String> overrides = new HashMap<>(Map.of("SEISMO_BOOTSTRAP_SERVERS", bootstrapServers));
    if (settings.string("SEISMO_INGEST_HTTP_PORT", null) == null) {
      overrides.put("SEISMO_INGEST_HTTP_PORT", "0"); // stacks share a JVM (tests): any free port, unless one is set
    }
    Settings effective = settings.with(overrides);
    createTopics(bootstrapServers, partitions);
    // ingest first: the control API's /system reads the ingest's own /metrics and /health/ready
    IngestService ingest = IngestService.start(IngestConfig.from(effective));
    try {
      Settings withIngest = effective.string("SEISMO_API_INGEST_URLS", null) != null ? effective
          : effective.with(Map.of("SEISMO_API_INGEST_URLS", "http://localhost:" + ingest.httpPort()));
      ControlApi api = ControlApi.start(ApiConfig.from(withIngest));
      return new SeismoStack(api, ingest);
    } catch (RuntimeException e) {
      ingest.close();
      throw e;
    }
  }

  public static void createTopics(String bootstrapServers, int partitions) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      var created = new TopicInitializer(admin, partitions, Optional.empty()).ensure(Topics.ALL);
      log.info("topics ready created={}", created);
    }
  }

  public ControlApi api() {
    return api;
  }

  public IngestService ingest() {
    return ingest;
  }

  public String apiUrl() {
    return "http://localhost:" + api.port();
  }

  @Override
  public void close() {
    ingest.close();
    api.close();
  }
}
