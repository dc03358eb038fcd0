package io.seismo.api.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.StoreQueryService;
import io.seismo.runtime.topic.RegistrationTable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /system}: the brokers, the topology instances ({@link TopologyReport}) and the ingest
 * ({@link IngestReport}) as the services themselves report them.
 */
public final class SystemHandlers {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

  private final Admin admin;
  private final TopologyReport topology;
  private final IngestReport ingest;
  private final Clock clock;

  public SystemHandlers(KafkaStreams streams, HostInfo self, StoreQueryService queries, Admin admin,
                        String applicationId, String ingestGroupId, List<URI> ingestUrls, RegistrationTable table,
                        Clock clock, ObjectMapper json) {
    this.admin = admin;
    this.topology = new TopologyReport(streams, self, queries, admin, applicationId, json);
    this.ingest = new IngestReport(admin, ingestGroupId, ingestUrls, table, json);
    this.clock = clock;
  }

  /** GET /system (?scope=local: this instance's topology only, what peers ask each other). */
  public void system(Context ctx) {
    String scope = ctx.queryParam("scope");
    if (scope != null && !scope.equals("local") && !scope.equals("all")) {
      throw ProblemException.badRequest("query parameter 'scope' must be all or local",
          List.of(new FieldError("scope", "unknown value '" + (scope.length() > 40 ? scope.substring(0, 40) : scope) + "'")));
    }
    if ("local".equals(scope)) {
      ctx.json(topology.localInstance());
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", clock.instant());
    body.put("brokers", brokers());
    body.put("topology", topology.report(ctx.header("Authorization")));
    body.put("ingest", ingest.report());
    ctx.json(body);
  }

  // ------------------------------------------------------------------------------------ brokers

  private Map<String, Object> brokers() {
    Map<String, Object> brokers = new LinkedHashMap<>();
    try {
      DescribeClusterResult cluster = admin.describeCluster();
      Collection<Node> nodes = cluster.nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Node controller = cluster.controller().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      brokers.put("reachable", true);
      brokers.put("clusterId", cluster.clusterId().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      brokers.put("controller", controller == null || controller.isEmpty() ? null : controller.id());
      brokers.put("nodes", nodes.stream().map(node -> {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", node.id());
        shown.put("host", node.host());
        shown.put("port", node.port());
        shown.put("rack", node.rack());
        return shown;
      }).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      brokers.put("reachable", false);
      brokers.put("error", "interrupted");
    } catch (Exception e) {
      brokers.put("reachable", false);
      brokers.put("error", reason(e));
    }
    return brokers;
  }

  /** What failed, for a report: the exception's class and message (the cause of an ExecutionException). */
  static String reason(Throwable e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
