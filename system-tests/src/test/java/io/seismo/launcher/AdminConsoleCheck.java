package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seismo.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard as an admin console, in the real Chromium against the quickstart (part of
 * {@link DashboardBrowserCheck}): every action is taken in the page and its effect checked over REST (or
 * on Kafka) — editing every kind of field with a secret reference and a redacted secret kept, a validation
 * error shown at its field, a concurrent change answered 412 with a reload, deleting, bulk start/stop/delete
 * of a filtered selection, export and import of the registrations file, write actions refused with a wrong
 * token, the system page, the alerts of all APIs with their delivery per receiver and an API's incidents,
 * change rules and alert rules edited in the form (a bad rule's error shown at its input), and the dead
 * letters re-processed and discarded.
 */
final class AdminConsoleCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String SECRET = "literal-secret-0b7f";

  private AdminConsoleCheck() {}

  static void run(ChromeDriver browser, String apiUrl, String upstreamUrl, String writeToken, String bootstrapServers,
                  Path downloads) throws Exception {
    RestClient rest = new RestClient(apiUrl);
    String alerting = failingApi(rest, upstreamUrl, writeToken); // goes FAILING while the other checks run
    edit(browser, rest, upstreamUrl, writeToken);
    bulk(browser, rest, upstreamUrl, writeToken, downloads);
    system(browser);
    alerts(browser, rest, alerting, writeToken);
    deadLetters(browser, rest, bootstrapServers);
  }

  // ------------------------------------------------------------------------------------ edit and delete

  private static void edit(ChromeDriver browser, RestClient rest, String upstreamUrl, String writeToken) throws Exception {
    String apiId = "edited-in-the-page";
    assertThat(rest.post("/apis", writeToken, "{\"apiId\":\"" + apiId + "\",\"url\":\"" + upstreamUrl
        + "/static\",\"pollIntervalMs\":5000,\"headers\":{\"X-Token\":\"" + SECRET + "\"}}").status()).isEqualTo(201);
    browser.get(browser.getCurrentUrl().replaceAll("#.*$", "") + "#/apis/" + apiId);
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("d-url")).getText().contains("/static"));

    // every field: interval, mode, desired state, alert on change, a header with a secret reference, a JSON
    // pointer, a webhook; the literal secret is shown redacted, left empty and kept
    openEdit(browser);
    WebElement form = browser.findElement(By.id("edit-form"));
    assertThat(browser.getPageSource()).doesNotContain(SECRET);
    WebElement redacted = form.findElement(By.cssSelector(".header-row .h-value[data-redacted=true]"));
    assertThat(redacted.getAttribute("value")).isEmpty();
    replace(form.findElement(By.name("interval")), "3");
    form.findElement(By.name("alertOnChange")).click();
    replace(form.findElement(By.name("jsonPointer")), "/items");
    form.findElement(By.xpath(".//button[text()='+ header']")).click();
    List<WebElement> headerRows = form.findElements(By.cssSelector(".header-row"));
    WebElement added = headerRows.getLast();
    added.findElement(By.cssSelector(".h-name")).sendKeys("X-Api-Key");
    added.findElement(By.cssSelector(".h-value")).sendKeys("${env:SEISMO_SECRET_DEMO_KEY}");
    form.findElement(By.xpath(".//button[text()='+ webhook']")).click();
    form.findElement(By.cssSelector(".webhook-row .w-url")).sendKeys(upstreamUrl + "/hooks/edited");
    DashboardBrowserCheck.screenshot(browser, "edit");
    form.findElement(By.id("edit-save")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.findElement(By.id("edit-panel")).isDisplayed());
    JsonNode saved = rest.get("/apis/" + apiId).json();
    assertThat(saved.path("version").asLong()).isEqualTo(2);
    assertThat(saved.path("pollIntervalMs").asLong()).isEqualTo(3000);
    assertThat(saved.path("alertOnChange").asBoolean()).isTrue();
    assertThat(saved.path("jsonPointer").asText()).isEqualTo("/items");
    assertThat(saved.path("headers").path("X-Api-Key").asText()).isEqualTo("${env:SEISMO_SECRET_DEMO_KEY}");
    assertThat(saved.path("headers").path("X-Token").asText()).isEqualTo("<redacted>"); // kept, not emptied
    assertThat(saved.path("notifyWebhooks")).hasSize(1);
    assertThat(saved.path("notifyWebhooks").path(0).asText()).contains("#redacted-");

    // a validation error is shown next to its field; nothing is written
    openEdit(browser);
    form = browser.findElement(By.id("edit-form"));
    replace(form.findElement(By.name("url")), "not a url");
    form.findElement(By.id("edit-save")).click();
    WebElement urlError = browser.findElement(By.cssSelector("#edit-form .field-error[data-error-for=url]"));
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !urlError.getText().isEmpty());
    assertThat(browser.findElement(By.cssSelector("#edit-form .f-url")).getAttribute("class")).contains("invalid");
    assertThat(browser.findElement(By.id("edit-message")).getText()).startsWith("Not saved");
    DashboardBrowserCheck.screenshot(browser, "edit-error");
    assertThat(rest.get("/apis/" + apiId).json().path("version").asLong()).isEqualTo(2);

    // someone else changes it meanwhile: 412, the page offers to reload, and saving the reloaded form works
    WebElement cancel = browser.findElement(By.id("edit-cancel"));
    cancel.click();
    openEdit(browser);
    assertThat(rest.post("/apis/" + apiId + "/stop", writeToken, null).status()).isEqualTo(200);
    form = browser.findElement(By.id("edit-form"));
    replace(form.findElement(By.name("interval")), "4");
    form.findElement(By.id("edit-save")).click();
    WebElement conflict = browser.findElement(By.id("edit-conflict"));
    await().atMost(PATIENCE).ignoreExceptions().until(conflict::isDisplayed);
    assertThat(conflict.getText()).contains("Someone else changed this API");
    assertThat(rest.get("/apis/" + apiId).json().path("pollIntervalMs").asLong()).isEqualTo(3000);
    conflict.findElement(By.id("edit-reload")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.findElement(By.id("edit-conflict")).isDisplayed());
    form = browser.findElement(By.id("edit-form"));
    assertThat(form.findElement(By.name("desiredState")).getDomProperty("value")).isEqualTo("STOPPED");
    replace(form.findElement(By.name("interval")), "4");
    form.findElement(By.id("edit-save")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> rest.get("/apis/" + apiId).json().path("pollIntervalMs").asLong() == 4000);
    assertThat(rest.get("/apis/" + apiId).json().path("version").asLong()).isEqualTo(4);

    // a wrong token: refused, and the page says so
    useToken(browser, "not-the-write-token");
    openEdit(browser);
    form = browser.findElement(By.id("edit-form"));
    replace(form.findElement(By.name("interval")), "6");
    form.findElement(By.id("edit-save")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("edit-message")).getText().contains("Unauthorized"));
    assertThat(rest.get("/apis/" + apiId).json().path("pollIntervalMs").asLong()).isEqualTo(4000);
    browser.findElement(By.id("edit-cancel")).click();
    useToken(browser, writeToken);

    // delete: asks once more, then the API is gone
    WebElement delete = browser.findElement(By.id("d-delete"));
    delete.click();
    assertThat(delete.getText()).startsWith("Really delete");
    assertThat(rest.get("/apis/" + apiId).status()).isEqualTo(200);
    delete.click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> rest.get("/apis/" + apiId).status() == 404);
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("list-view")).isDisplayed()
        && !DashboardBrowserCheck.listedApis(browser).contains(apiId));
  }

  private static void openEdit(ChromeDriver browser) {
    browser.findElement(By.id("d-edit")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.findElements(By.id("edit-form")).isEmpty()
        && browser.findElement(By.id("edit-panel")).isDisplayed());
  }

  private static void replace(WebElement input, String text) {
    input.clear();
    input.sendKeys(text);
  }

  /** Picks an option as a user does: the value changes, then input and change events. */
  private static void choose(ChromeDriver browser, WebElement select, String value) {
    browser.executeScript("arguments[0].value = arguments[1];"
        + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", select, value);
  }

  private static void useToken(ChromeDriver browser, String token) {
    WebElement input = browser.findElement(By.id("token"));
    input.clear();
    input.sendKeys(token);
    browser.findElement(By.cssSelector("#token-form button")).click();
  }

  // ------------------------------------------------------------------------------------ bulk, import, export

  private static void bulk(ChromeDriver browser, RestClient rest, String upstreamUrl, String writeToken, Path downloads)
      throws Exception {
    List<String> ids = List.of("0-bulk-a", "0-bulk-b", "0-bulk-c"); // first in the list: the page loads the first 5,000 APIs by id
    for (String id : ids) {
      assertThat(rest.post("/apis", writeToken, "{\"apiId\":\"" + id + "\",\"url\":\"" + upstreamUrl
          + "/static\",\"pollIntervalMs\":5000}").status()).isEqualTo(201);
    }
    browser.get(browser.getCurrentUrl().replaceAll("#.*$", "") + "#");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> DashboardBrowserCheck.listedApis(browser).containsAll(ids));

    // filter by text, then select all shown
    browser.findElement(By.id("filter-text")).sendKeys("0-bulk-");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> visibleIds(browser).equals(ids));
    browser.findElement(By.id("select-all")).click();
    assertThat(browser.findElement(By.id("selected-count")).getText()).isEqualTo("3 selected");

    browser.findElement(By.id("bulk-stop")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> ids.stream()
        .allMatch(id -> rest.get("/apis/" + id).json().path("desiredState").asText().equals("STOPPED")));
    assertThat(browser.findElement(By.id("bulk-result")).getText()).isEqualTo("3 stopped");

    // filter by state: the stopped ones
    browser.findElement(By.id("filter-text")).clear();
    choose(browser, browser.findElement(By.id("filter-state")), "STOPPED");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> visibleIds(browser).containsAll(ids)
        && visibleIds(browser).stream().allMatch(id -> "STOPPED".equals(DashboardBrowserCheck.row(browser, id).getAttribute("data-state"))));
    DashboardBrowserCheck.screenshot(browser, "bulk");
    choose(browser, browser.findElement(By.id("filter-state")), "");
    browser.findElement(By.id("filter-text")).sendKeys("0-bulk-");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> visibleIds(browser).equals(ids));

    browser.findElement(By.id("bulk-start")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> ids.stream()
        .allMatch(id -> rest.get("/apis/" + id).json().path("desiredState").asText().equals("RUNNING")));

    // a wrong token: refused by the API, reported per API in the page
    useToken(browser, "not-the-write-token");
    browser.findElement(By.id("bulk-stop")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("bulk-result")).getText().contains("3 failed"));
    assertThat(browser.findElement(By.id("bulk-result")).getText()).startsWith("0 stopped").contains("Unauthorized");
    assertThat(ids.stream().allMatch(id -> rest.get("/apis/" + id).json().path("desiredState").asText().equals("RUNNING"))).isTrue();
    useToken(browser, writeToken);

    // export: the registrations file, as GET /apis shows them
    browser.findElement(By.id("export")).click();
    Path[] exported = new Path[1];
    await().atMost(PATIENCE).ignoreExceptions().until(() -> {
      try (Stream<Path> files = Files.list(downloads)) {
        exported[0] = files.filter(file -> file.getFileName().toString().startsWith("seismo-registrations-")
            && file.getFileName().toString().endsWith(".json")).findFirst().orElse(null);
      }
      return exported[0] != null;
    });
    JsonNode file = JSON.readTree(Files.readString(exported[0]));
    ArrayNode bulkOnly = JSON.createArrayNode();
    for (JsonNode api : file.path("apis")) {
      assertThat(api.has("version")).isFalse();
      if (ids.contains(api.path("apiId").asText())) {
        bulkOnly.add(api);
      }
    }
    assertThat(bulkOnly).hasSize(3);
    assertThat(file.path("apis").size()).isGreaterThanOrEqualTo(3); // these, and whatever else is registered

    // delete the selection (asks once more), then import them back from the file
    WebElement delete = browser.findElement(By.id("bulk-delete"));
    delete.click();
    assertThat(delete.getText()).isEqualTo("Really delete 3?");
    delete.click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> ids.stream().allMatch(id -> rest.get("/apis/" + id).status() == 404));
    await().atMost(PATIENCE).ignoreExceptions().until(() -> visibleIds(browser).isEmpty());

    ((ObjectNode) bulkOnly.get(0)).put("pollIntervalMs", 7000);
    Path importFile = Files.createTempFile(downloads.getParent(), "import-", ".json");
    Files.writeString(importFile, JSON.writeValueAsString(JSON.createObjectNode().set("apis", bulkOnly)), StandardCharsets.UTF_8);
    browser.findElement(By.id("import-file")).sendKeys(importFile.toString());
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("bulk-result")).getText().startsWith("Imported"));
    assertThat(browser.findElement(By.id("bulk-result")).getText()).contains("3 created, 0 replaced.");
    assertThat(rest.get("/apis/0-bulk-a").json().path("pollIntervalMs").asLong()).isEqualTo(7000);
    // importing again replaces them (PUT with their ETag)
    browser.findElement(By.id("import-file")).sendKeys(importFile.toString());
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("bulk-result")).getText().contains("0 created, 3 replaced."));
    await().atMost(PATIENCE).ignoreExceptions().until(() -> visibleIds(browser).equals(ids));
    browser.findElement(By.id("filter-text")).clear(); // the list's next refresh shows all again
  }

  /** The apiIds of the rows shown (not filtered out), in one script call. */
  @SuppressWarnings("unchecked")
  private static List<String> visibleIds(ChromeDriver browser) {
    List<String> shown = (List<String>) browser.executeScript("return Array.from(document.querySelectorAll("
        + "'#apis tbody tr')).filter(row => row.getClientRects().length > 0).map(row => row.dataset.apiId);");
    return shown.stream().sorted().toList();
  }

  // ------------------------------------------------------------------------------------ system

  private static void system(ChromeDriver browser) throws Exception {
    browser.findElement(By.cssSelector(".top nav a[href='#/system']")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("system-view")).isDisplayed()
        && !browser.findElements(By.cssSelector("#ingest-instances tr.ingest[data-ready=true]")).isEmpty()
        && !browser.findElements(By.cssSelector("#topology-instances tr.instance[data-state=RUNNING]")).isEmpty());
    assertThat(browser.findElement(By.id("list-view")).isDisplayed()).isFalse();
    // the page re-renders every 5 s: an element found just before may be replaced, so each check is retried
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      assertThat(browser.findElement(By.id("brokers")).getAttribute("data-reachable")).isEqualTo("true");
      assertThat(browser.findElements(By.cssSelector("#lag tbody tr[data-topic='" + Topics.RAW_POLLS.name() + "']"))).isNotEmpty();
      assertThat(browser.findElements(By.cssSelector("#ingest-members tr.member"))).isNotEmpty();
      assertThat(browser.findElement(By.cssSelector("#ingest-instances tr.ingest .running")).getText()).matches("[1-9][0-9]*");
      assertThat(browser.findElement(By.cssSelector("#ingest-instances tr.ingest .buffer")).getText()).contains("of 64 MB");
    });
    DashboardBrowserCheck.screenshot(browser, "system");
  }

  // ------------------------------------------------------------------------------------ alerts and incidents

  private static final String ALERTING_API = "alerting-in-the-page";
  private static final String REFUSING_HOOK = "/no-such-receiver-0c1d";

  /**
   * An API whose URL answers 404: FAILING after three polls, its FAILING alert delivered to two webhooks on
   * the demo upstream, one that answers 200 (DELIVERED) and one that answers 404 (REFUSED).
   */
  private static String failingApi(RestClient rest, String upstreamUrl, String writeToken) {
    assertThat(rest.post("/apis", writeToken, "{\"apiId\":\"" + ALERTING_API + "\",\"url\":\"" + upstreamUrl
        + "/no-such-api-4e2a\",\"pollIntervalMs\":1000,\"notifyWebhooks\":[\"" + upstreamUrl + "/static\",\""
        + upstreamUrl + REFUSING_HOOK + "\"]}").status()).isEqualTo(201);
    return ALERTING_API;
  }

  private static void alerts(ChromeDriver browser, RestClient rest, String apiId, String writeToken) throws Exception {
    await().atMost(PATIENCE).untilAsserted(() -> {
      JsonNode alerts = rest.get("/apis/" + apiId + "/alerts").json();
      boolean delivered = false;
      for (JsonNode alert : alerts.path("items")) {
        delivered |= "FAILING".equals(alert.path("kind").asText()) && alert.path("deliveries").size() == 2;
      }
      assertThat(delivered).as("a FAILING alert with two deliveries in %s", alerts).isTrue();
    });
    browser.findElement(By.cssSelector(".top nav a[href='#/alerts']")).click();
    By failing = By.cssSelector("#alerts tr.alert[data-api-id='" + apiId + "'][data-kind=FAILING]");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("alerts-view")).isDisplayed()
        && !browser.findElements(failing).isEmpty());
    assertThat(browser.findElement(By.id("list-view")).isDisplayed()).isFalse();
    // the page re-renders when an alert arrives: an element found just before may be replaced, so the checks are retried
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      WebElement row = browser.findElement(failing);
      assertThat(row.findElement(By.cssSelector("a.api-link")).getAttribute("href")).endsWith("#/apis/" + apiId);
      assertThat(row.findElement(By.cssSelector(".detail")).getText()).contains("consecutive failures");
      List<String> outcomes = row.findElements(By.cssSelector(".delivery")).stream()
          .map(delivery -> delivery.getAttribute("data-outcome")).sorted().toList();
      assertThat(outcomes).containsExactly("DELIVERED", "REFUSED");
      WebElement refused = row.findElement(By.cssSelector(".delivery[data-outcome=REFUSED]"));
      assertThat(refused.getText()).startsWith("webhook 2 · ").contains("HTTP 404").contains("1 attempt");
      assertThat(browser.findElement(By.cssSelector("#failing-now li[data-api-id='" + apiId + "']")).getText()).contains("failing");
    });
    assertThat(browser.getPageSource()).doesNotContain(REFUSING_HOOK); // a webhook is shown by host, never its URL
    DashboardBrowserCheck.screenshot(browser, "alerts");
    choose(browser, browser.findElement(By.id("alerts-kind")), "RECOVERED");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElements(failing).isEmpty()
        && browser.findElements(By.cssSelector("#alerts tr.alert")).stream()
            .allMatch(row -> "RECOVERED".equals(row.getAttribute("data-kind"))));
    choose(browser, browser.findElement(By.id("alerts-kind")), "");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.findElements(failing).isEmpty());
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> browser.findElement(failing).findElement(By.cssSelector("a.api-link")).click());
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("detail-view")).isDisplayed()
        && !browser.findElements(By.cssSelector("#api-alerts tr.alert[data-kind=FAILING]")).isEmpty());

    // change rules and an alert rule through the form; the webhooks (shown redacted) are kept
    long version = rest.get("/apis/" + apiId).json().path("version").asLong();
    openEdit(browser);
    WebElement form = browser.findElement(By.id("edit-form"));
    form.findElement(By.name("ignore")).sendKeys("/meta/requestId\n/items/*/updatedAt");
    form.findElement(By.id("add-rule")).click();
    WebElement rule = form.findElements(By.cssSelector(".rule-row")).getLast();
    rule.findElement(By.cssSelector(".r-id")).sendKeys("errors-high");
    choose(browser, rule.findElement(By.cssSelector(".r-kind")), "ERROR_RATE");
    assertThat(rule.findElement(By.cssSelector(".r-above")).isDisplayed()).isTrue();
    assertThat(rule.findElement(By.cssSelector(".r-pointer")).isDisplayed()).isFalse(); // POINTER's, not this kind's
    rule.findElement(By.cssSelector(".r-above")).sendKeys("50");
    choose(browser, rule.findElement(By.cssSelector(".r-window")), "1m");
    form.findElement(By.id("edit-save")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.findElement(By.id("edit-panel")).isDisplayed());
    JsonNode saved = rest.get("/apis/" + apiId).json();
    assertThat(saved.path("version").asLong()).isEqualTo(version + 1);
    assertThat(saved.path("ignore").toString()).isEqualTo("[\"/meta/requestId\",\"/items/*/updatedAt\"]");
    assertThat(saved.path("rules")).hasSize(1);
    JsonNode savedRule = saved.path("rules").get(0);
    assertThat(savedRule.path("id").asText()).isEqualTo("errors-high");
    assertThat(savedRule.path("kind").asText()).isEqualTo("ERROR_RATE");
    assertThat(savedRule.path("window").asText()).isEqualTo("1m");
    assertThat(savedRule.path("above").asDouble()).isEqualTo(50.0);
    assertThat(saved.path("notifyWebhooks")).hasSize(2);
    assertThat(saved.path("notifyWebhooks").path(1).asText()).contains("#redacted-").doesNotContain(REFUSING_HOOK);
    assertThat(saved.path("pollIntervalMs").asLong()).isEqualTo(1000);

    // a bad rule: its error is shown at the input it concerns, nothing is written
    openEdit(browser);
    form = browser.findElement(By.id("edit-form"));
    assertThat(form.findElement(By.name("ignore")).getDomProperty("value")).isEqualTo("/meta/requestId\n/items/*/updatedAt");
    replace(form.findElement(By.cssSelector(".rule-row .r-above")), "-5");
    form.findElement(By.id("edit-save")).click();
    WebElement aboveError = browser.findElement(By.cssSelector("#edit-form .field-error[data-error-for='rules[0].above']"));
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !aboveError.getText().isEmpty());
    assertThat(aboveError.getText()).contains("rules[0].above");
    assertThat(browser.findElement(By.cssSelector("#edit-form .rule-row .rp-above")).getAttribute("class")).contains("invalid");
    assertThat(browser.findElement(By.id("edit-message")).getText()).startsWith("Not saved");
    assertThat(rest.get("/apis/" + apiId).json().path("version").asLong()).isEqualTo(version + 1);
    browser.findElement(By.id("edit-cancel")).click();

    // the rule is evaluated: the API fails every poll, so its error rate is 100 % and an incident opens
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      WebElement incident = browser.findElement(By.cssSelector("#incidents tr.incident[data-rule-id='errors-high']"));
      assertThat(incident.getAttribute("data-state")).isEqualTo("OPEN");
      assertThat(incident.getText()).contains("ERROR_RATE");
    });

    // a test alert from the API's page goes through the notifier like a real one
    browser.findElement(By.id("d-notify-test")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !browser.findElements(By.cssSelector("#api-alerts tr.alert[data-kind=TEST]")).isEmpty());

    RestClient.Answer current = rest.get("/apis/" + apiId);
    assertThat(rest.send("DELETE", "/apis/" + apiId, writeToken, null, current.header("ETag")).status()).isEqualTo(204);
  }

  // ------------------------------------------------------------------------------------ dead letters

  private static void deadLetters(ChromeDriver browser, RestClient rest, String bootstrapServers) throws Exception {
    String key = "dlq-in-the-page";
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.RAW_POLLS.name(), key, "{\"a broken\":\"record\"}")).get();
    }
    browser.findElement(By.cssSelector(".top nav a[href='#/dlq']")).click();
    By ours = By.cssSelector("#dlq tbody tr[data-key='" + key + "']");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElements(ours).size() == 1);
    // opening the value keeps the page still (the refresh leaves an open value alone)
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      browser.findElement(ours).findElement(By.cssSelector(".decoded summary")).click();
      assertThat(browser.findElement(ours).findElement(By.cssSelector(".decoded pre")).getText()).contains("a broken");
    });
    WebElement letter = browser.findElement(ours);
    assertThat(letter.findElement(By.cssSelector(".origin")).getText()).contains(Topics.RAW_POLLS.name());
    assertThat(letter.findElement(By.cssSelector(".error")).getText()).isNotBlank();
    DashboardBrowserCheck.screenshot(browser, "dlq");
    String firstId = letter.getAttribute("data-id");

    // re-process: recorded, and the record (still broken) comes back as a new letter
    letter.findElement(By.cssSelector("button.reprocess")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElements(ours).size() == 1 // re-rendered: stale elements retried
        && !firstId.equals(browser.findElement(ours).getAttribute("data-id")));
    JsonNode first = rest.get("/dlq/" + firstId).json();
    assertThat(first.path("action").path("action").asText()).isEqualTo("REPROCESSED");

    // discard all open ones (asks once more)
    // the page re-renders as letters arrive: an element found a moment ago may be replaced, so each step is retried
    By discardAll = By.id("dlq-discard-all");
    await().atMost(PATIENCE).ignoreExceptions().until(() -> {
      if (!browser.findElement(discardAll).getText().startsWith("Really discard")) {
        browser.findElement(discardAll).click();
      }
      return browser.findElement(discardAll).getText().startsWith("Really discard");
    });
    await().atMost(PATIENCE).ignoreExceptions().until(() -> {
      if (!browser.findElements(ours).isEmpty()) {
        browser.findElement(discardAll).click(); // confirms (or asks again if a re-render reset the question)
      }
      return browser.findElements(ours).isEmpty() && !browser.findElements(By.id("dlq-empty")).isEmpty();
    });
    choose(browser, browser.findElement(By.id("dlq-state")), "handled");
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
        assertThat(browser.findElements(ours).stream().map(row -> row.getAttribute("data-action")).sorted().toList())
            .containsExactly("DISCARDED", "REPROCESSED"));
    JsonNode handled = rest.get("/dlq?state=handled").json();
    long ourHandled = 0;
    for (JsonNode item : handled.path("items")) {
      if (key.equals(item.path("key").asText())) {
        ourHandled++;
        assertThat(item.path("action").path("by").asText()).isEqualTo("write-0");
      }
    }
    assertThat(ourHandled).isEqualTo(2);
    DashboardBrowserCheck.screenshot(browser, "dlq-handled");
    browser.findElement(By.cssSelector(".top nav a[href='#']")).click();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> browser.findElement(By.id("list-view")).isDisplayed());
  }
}
