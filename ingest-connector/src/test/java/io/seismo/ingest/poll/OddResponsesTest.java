package io.seismo.ingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.seismo.ingest.config.IngestConfig;
import io.seismo.runtime.config.Settings;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.PollResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Responses real servers send that are odd but legal, from a JDK HttpServer (not OkHttp's own mock). */
class OddResponsesTest {

  private HttpServer upstream;
  private HttpPoller poller;

  @BeforeEach
  void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.start();
    IngestConfig config = IngestConfig.from(new Settings(Map.of("SEISMO_INGEST_ALLOW_HOSTS", "127.0.0.0/8")));
    poller = new HttpPoller(config, AddressGuard.allowing(config.allowHosts()), SecretResolver.of(Map.of()),
        Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    poller.close();
    upstream.stop(0);
  }

  @Test
  void shouldMarkNotModifiedWithoutErrorWhenA304CarriesContentEncodingGzip() {
    upstream.createContext("/data", exchange -> {
      exchange.getResponseHeaders().add("ETag", "\"v1\"");
      exchange.getResponseHeaders().add("Content-Encoding", "gzip"); // what the 200 had (RFC 9110 15.4.5 allows it)
      exchange.sendResponseHeaders(304, -1);
      exchange.close();
    });

    PollResult result = poller.poll(new HttpPoller.PollRequest("api", 1,
        "http://127.0.0.1:" + upstream.getAddress().getPort() + "/data", Map.of(), "\"v1\"", null)).result();

    assertThat(result.getError()).isNull();
    assertThat(result.getNotModified()).isTrue();
    assertThat(result.getBodyBytes()).isEqualTo(0L);
  }
}
