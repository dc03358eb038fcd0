package io.seismo.ingest.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.sun.net.httpserver.HttpServer;
import io.seismo.ingest.notify.channel.Channels;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretResolver;
import io.seismo.schemas.Alert;
import io.seismo.schemas.AlertKind;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every notification channel against a real counterpart: an HTTP receiver that checks each provider's
 * documented payload shape (JSON Schemas in src/test/resources/channel-shapes, written from the
 * providers' documentation cited in each), a real SMTP server (GreenMail) and, where Debian's
 * {@code prometheus-alertmanager} is installed, a real Alertmanager.
 */
class NotificationChannelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRICKY = "HTTP 503 from <https://evil.example|click> & \"quoted\" @everyone <!channel>\nsecond line";

  private final Map<String, String> received = new ConcurrentHashMap<>();
  private HttpServer receiver;
  private GreenMail mail;
  private Process alertmanager;

  @AfterEach
  void stop() throws Exception {
    if (receiver != null) {
      receiver.stop(0);
    }
    if (mail != null) {
      mail.stop();
    }
    if (alertmanager != null) {
      alertmanager.destroy();
      if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
        alertmanager.destroyForcibly();
      }
    }
  }

  private String startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        received.put(exchange.getRequestURI().getPath(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/slack") ? 200 : 204, -1);
      exchange.close();
    });
    receiver.start();
    return "http://127.0.0.1:" + receiver.getAddress().getPort();
  }

  private static ChannelSender sender(Channels channels) {
    WebhookDelivery webhooks = new WebhookDelivery(new OkHttpClient(), AddressGuard.allowing(List.of("127.0.0.0/8")), null,
        new WebhookDelivery.Policy(2, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(20)), Clock.systemUTC());
    return ChannelSender.of(webhooks, channels);
  }

  private static String alertBody(AlertKind kind, String detail) {
    return WebhookBody.of("seismo-seismo.alerts-0-42",
        new Alert("weather-api", kind, Instant.parse("2026-12-02T21:00:00Z"), detail, null, null));
  }

  private static List<String> violations(String schemaFile, String json) throws Exception {
    String uri = "https://seismo.test/" + schemaFile;
    String text;
    try (InputStream in = NotificationChannelsTest.class.getResourceAsStream("/channel-shapes/" + schemaFile)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012(), builder -> builder
        .schemas(Map.of(uri, text)).schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    Schema schema = registry.getSchema(SchemaLocation.of(uri));
    return schema.validate(json, InputFormat.JSON).stream().map(e -> e.getInstanceLocation() + " " + e.getMessage()).toList();
  }

  @Test
  void shouldPostEachProvidersDocumentedShapeWhenChannelsAreNamed() throws Exception {
    String base = startReceiver();
    Channels channels = Channels.parse(JSON.readTree("""
        {"ops-slack": {"type": "slack", "url": "%1$s/slack"},
         "ops-teams": {"type": "teams", "url": "%1$s/teams"},
         "ops-discord": {"type": "discord", "url": "%1$s/discord"},
         "pager": {"type": "template", "url": "%1$s/template",
                   "body": {"title": "{{summary}}", "text": "{{detail}}", "api": "{{apiId}}", "at": "{{at}}",
                            "tags": ["seismo", "{{kind}}"], "n": 1}},
         "am": {"type": "alertmanager", "url": "%1$s/am"}}
        """.formatted(base)), SecretResolver.of(Map.of()));
    ChannelSender sender = sender(channels);
    String body = alertBody(AlertKind.FAILING, TRICKY);

    for (String name : List.of("ops-slack", "ops-teams", "ops-discord", "pager", "am")) {
      WebhookDelivery.Outcome outcome = sender.send(ChannelSender.PREFIX + name, "seismo-seismo.alerts-0-42", body);
      assertThat(outcome.result()).as(name).isEqualTo(WebhookDelivery.Result.DELIVERED);
    }

    assertThat(violations("slack.schema.json", received.get("/slack"))).isEmpty();
    JsonNode slack = JSON.readTree(received.get("/slack"));
    assertThat(slack.path("text").asText()).contains("&lt;!channel&gt;").doesNotContain("<!channel>").doesNotContain("<https://");

    assertThat(violations("teams.schema.json", received.get("/teams"))).isEmpty();
    JsonNode card = JSON.readTree(received.get("/teams")).path("attachments").path(0).path("content");
    assertThat(card.path("body").path(0).path("text").asText()).isEqualTo("weather-api is FAILING");
    assertThat(card.path("body").path(1).path("text").asText()).isEqualTo(TRICKY);

    assertThat(violations("discord.schema.json", received.get("/discord"))).isEmpty();
    JsonNode discord = JSON.readTree(received.get("/discord"));
    assertThat(discord.path("allowed_mentions").path("parse")).as("no @everyone ping").isEmpty();

    JsonNode template = JSON.readTree(received.get("/template"));
    assertThat(template).isEqualTo(JSON.readTree("""
        {"title": "weather-api is FAILING", "text": %s, "api": "weather-api", "at": "2026-12-02T21:00:00Z",
         "tags": ["seismo", "FAILING"], "n": 1}""".formatted(JSON.writeValueAsString(TRICKY))));

    assertThat(violations("alertmanager.schema.json", received.get("/am/api/v2/alerts"))).isEmpty();
    JsonNode am = JSON.readTree(received.get("/am/api/v2/alerts"));
    assertThat(am.path(0).path("labels").path("alertname").asText()).isEqualTo("SeismoApiFailing");
    assertThat(am.path(0).path("labels").path("apiId").asText()).isEqualTo("weather-api");
  }

  @Test
  void shouldCheckTheShapesThemselvesWhenAPayloadBreaksTheDocumentedLimits() throws Exception {
    // the shape checks are not vacuous: they refuse what the providers refuse
    assertThat(violations("discord.schema.json", "{\"content\": \"" + "x".repeat(2001) + "\"}")).isNotEmpty();
    assertThat(violations("slack.schema.json", "{\"blocks\": []}")).isNotEmpty();
    assertThat(violations("teams.schema.json", "{\"type\": \"message\", \"attachments\": [{\"contentType\": \"text/plain\", \"content\": {}}]}")).isNotEmpty();
    assertThat(violations("alertmanager.schema.json", "[{\"labels\": {\"bad-name\": \"x\", \"alertname\": \"a\"}}]")).isNotEmpty();
  }

  @Test
  void shouldRecordAFailureNotCrashWhenARegistrationNamesAnUnknownChannel() throws Exception {
    WebhookDelivery.Outcome outcome = sender(Channels.none()).send("channel:nope", "id", alertBody(AlertKind.TEST, "t"));

    assertThat(outcome.result()).isEqualTo(WebhookDelivery.Result.FAILED);
    assertThat(outcome.lastError()).contains("no channel named 'nope'");
  }

  @Test
  void shouldRefuseABadChannelsFileNamingTheChannelAndFieldWhenLoaded() throws Exception {
    assertThatThrownBy(() -> Channels.parse(JSON.readTree("{\"x\": {\"type\": \"slack\"}}"), SecretResolver.of(Map.of())))
        .hasMessageContaining("channel 'x'").hasMessageContaining("'url' is required");
    assertThatThrownBy(() -> Channels.parse(JSON.readTree("{\"x\": {\"type\": \"sms\", \"url\": \"http://a\"}}"), SecretResolver.of(Map.of())))
        .hasMessageContaining("unknown type 'sms'");
    assertThatThrownBy(() -> Channels.parse(JSON.readTree("{\"x\": {\"type\": \"template\", \"url\": \"http://a\", \"body\": {\"a\": \"{{password}}\"}}}"),
        SecretResolver.of(Map.of()))).hasMessageContaining("unknown placeholder {{password}}");
    assertThatThrownBy(() -> Channels.parse(JSON.readTree("{\"x\": {\"type\": \"slack\", \"url\": \"not a url https://hooks.slack.com/services/T0/B0/SECRET\"}}"),
        SecretResolver.of(Map.of()))).hasMessageNotContaining("SECRET");
  }

  @Test
  void shouldSendMailThroughARealSmtpServerWhenTheChannelIsEmail() throws Exception {
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    mail.setUser("seismo@example.org", "seismo", "s3cret");
    int port = mail.getSmtp().getPort();
    Channels channels = Channels.parse(JSON.readTree("""
        {"oncall": {"type": "email", "host": "127.0.0.1", "port": %d, "security": "none", "user": "seismo",
                    "password": "${env:SEISMO_SECRET_SMTP}", "from": "seismo@example.org",
                    "to": ["oncall@example.org", "sre@example.org"]}}""".formatted(port)),
        SecretResolver.of(Map.of("SEISMO_SECRET_SMTP", "s3cret")));

    WebhookDelivery.Outcome outcome = sender(channels).send("channel:oncall", "seismo-seismo.alerts-0-42",
        alertBody(AlertKind.FAILING, "HTTP 503 three times — ünïcode"));

    assertThat(outcome.result()).isEqualTo(WebhookDelivery.Result.DELIVERED);
    assertThat(mail.waitForIncomingEmail(10_000, 2)).isTrue();
    MimeMessage[] messages = mail.getReceivedMessages();
    assertThat(messages).hasSize(2);
    assertThat(messages[0].getSubject()).isEqualTo("[Seismo] weather-api is FAILING");
    assertThat(messages[0].getFrom()[0].toString()).isEqualTo("seismo@example.org");
    assertThat(messages[0].getHeader("X-Seismo-Alert-Id")[0]).isEqualTo("seismo-seismo.alerts-0-42");
    assertThat(messages[0].getContent().toString()).contains("HTTP 503 three times — ünïcode").contains("Kind: FAILING");
  }

  @Test
  void shouldReportTheSmtpRefusalWhenTheServerRejectsTheLogin() throws Exception {
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    mail.setUser("seismo@example.org", "seismo", "s3cret");
    Channels channels = Channels.parse(JSON.readTree("""
        {"oncall": {"type": "email", "host": "127.0.0.1", "port": %d, "security": "none", "user": "seismo",
                    "password": "wrong", "from": "seismo@example.org", "to": "oncall@example.org"}}"""
        .formatted(mail.getSmtp().getPort())), SecretResolver.of(Map.of()));

    WebhookDelivery.Outcome outcome = sender(channels).send("channel:oncall", "id", alertBody(AlertKind.TEST, "t"));

    assertThat(outcome.result()).isEqualTo(WebhookDelivery.Result.FAILED);
    assertThat(outcome.attempts()).isEqualTo(2);
    assertThat(outcome.lastError()).startsWith("SMTP: ").doesNotContain("wrong");
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void shouldFireAndResolveInARealAlertmanagerWhenAnApiFailsAndRecovers() throws Exception {
    Path binary = Path.of("/usr/bin/prometheus-alertmanager");
    assumeTrue(Files.isExecutable(binary), "Debian's prometheus-alertmanager is not installed: skipped");
    Path dir = Files.createTempDirectory("seismo-alertmanager");
    Files.writeString(dir.resolve("am.yml"), "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    alertmanager = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("am.yml"),
        "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(dir.resolve("am.log").toFile()).start();
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
        HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    ChannelSender sender = sender(Channels.parse(JSON.readTree("{\"am\": {\"type\": \"alertmanager\", \"url\": \"" + base + "\"}}"),
        SecretResolver.of(Map.of())));
    URI query = URI.create(base + "/api/v2/alerts?filter=" + URLEncoder.encode("apiId=\"weather-api\"", StandardCharsets.UTF_8));

    Instant now = Instant.now();
    String failing = WebhookBody.of("seismo-seismo.alerts-0-1", new Alert("weather-api", AlertKind.FAILING, now, "HTTP 503", null, null));
    assertThat(sender.send("channel:am", "id-1", failing).result()).isEqualTo(WebhookDelivery.Result.DELIVERED);

    JsonNode active = JSON.readTree(http.send(HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(active).hasSize(1);
    assertThat(active.path(0).path("labels").path("alertname").asText()).isEqualTo("SeismoApiFailing");
    assertThat(active.path(0).path("labels").path("severity").asText()).isEqualTo("critical");
    assertThat(active.path(0).path("status").path("state").asText()).isEqualTo("active");
    assertThat(active.path(0).path("annotations").path("description").asText()).isEqualTo("HTTP 503");

    String recovered = WebhookBody.of("seismo-seismo.alerts-0-2",
        new Alert("weather-api", AlertKind.RECOVERED, now.plusSeconds(1), "back", null, null));
    assertThat(sender.send("channel:am", "id-2", recovered).result()).isEqualTo(WebhookDelivery.Result.DELIVERED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JSON.readTree(
        http.send(HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString()).body())).as("resolved").isEmpty());
  }
}
