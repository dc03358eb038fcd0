package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): the demo APIs are listed, a changing API's chart grows and its document updates live
 * through the SSE stream, a registration made in the page appears in the list, the page fits a phone
 * screen, and it says so when the backend is unreachable. Screenshots go to target/dashboard-*.png.
 */
final class DashboardBrowserCheck {

  private static final Path CHROMIUM = Path.of(System.getProperty("seismo.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("seismo.chromedriver", "/usr/bin/chromedriver"));
  private static final List<String> DEMOS = List.of("demo-static", "demo-ticker", "demo-append", "demo-flaky",
      "demo-large", "demo-stream", "demo-both", "demo-volatile", "demo-shuffled", "demo-records");

  private DashboardBrowserCheck() {}

  static void run(String apiUrl, String upstreamUrl, String writeToken, String bootstrapServers) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no Chromium at " + CHROMIUM + " / chromedriver at " + CHROMEDRIVER
            + ": the browser test is skipped (.ci/run installs Debian's chromium and chromium-driver)");
    Path profile = Files.createTempDirectory("seismo-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,1800", "--user-data-dir=" + profile);
    Path downloads = Files.createTempDirectory("seismo-downloads");
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    // the page re-renders as data arrives: an element read between its removal and our next find is read again
    org.awaitility.Awaitility.ignoreExceptionByDefault(org.openqa.selenium.StaleElementReferenceException.class);
    try {
      check(browser, apiUrl, upstreamUrl, writeToken, bootstrapServers, downloads);
    } catch (AssertionError | RuntimeException e) {
      try {
        screenshot(browser, "failure");
      } catch (RuntimeException | java.io.IOException ignored) {
        e.addSuppressed(ignored);
      }
      throw e;
    } finally {
      browser.quit();
    }
  }

  private static void check(ChromeDriver browser, String apiUrl, String upstreamUrl, String writeToken,
                            String bootstrapServers, Path downloads) throws Exception {
    Duration patience = Duration.ofSeconds(45);
    browser.get(apiUrl + "/");
    assertThat(browser.getCurrentUrl()).endsWith("/dashboard/");
    assertThat(browser.getTitle()).startsWith("Seismo");

    // the page's RFC 6902 implementation (it keeps the live document) passes the RFC's own examples
    Object patchResults = browser.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import('/dashboard/jsonpatch.js').then(({ applyPatch }) => {
          const cases = [
            [{foo: 'bar'}, [{op: 'add', path: '/baz', value: 'qux'}], {baz: 'qux', foo: 'bar'}],
            [{foo: ['bar', 'baz']}, [{op: 'add', path: '/foo/1', value: 'qux'}], {foo: ['bar', 'qux', 'baz']}],
            [{baz: 'qux', foo: 'bar'}, [{op: 'remove', path: '/baz'}], {foo: 'bar'}],
            [{foo: ['bar', 'qux', 'baz']}, [{op: 'remove', path: '/foo/1'}], {foo: ['bar', 'baz']}],
            [{baz: 'qux', foo: 'bar'}, [{op: 'replace', path: '/baz', value: 'boo'}], {baz: 'boo', foo: 'bar'}],
            [{foo: {bar: 'baz', waldo: 'fred'}, qux: {corge: 'grault'}},
             [{op: 'move', from: '/foo/waldo', path: '/qux/thud'}],
             {foo: {bar: 'baz'}, qux: {corge: 'grault', thud: 'fred'}}],
            [{foo: ['all', 'grass', 'cows', 'eat']}, [{op: 'move', from: '/foo/1', path: '/foo/3'}],
             {foo: ['all', 'cows', 'eat', 'grass']}],
            [{foo: ['bar']}, [{op: 'add', path: '/foo/-', value: ['abc', 'def']}], {foo: ['bar', ['abc', 'def']]}],
            [{'a/b': 1, 'm~n': 2}, [{op: 'replace', path: '/a~1b', value: 3}, {op: 'copy', from: '/m~0n', path: '/c'}],
             {'a/b': 3, 'm~n': 2, c: 2}],
          ];
          const canonical = v => JSON.stringify(v, (k, x) => x && typeof x === 'object' && !Array.isArray(x)
            ? Object.fromEntries(Object.entries(x).sort()) : x);
          const results = cases.map(([doc, patch, want]) => canonical(applyPatch(doc, patch)) === canonical(want));
          for (const bad of [[{op: 'remove', path: '/nope'}], [{op: 'test', path: '/foo', value: 'x'}],
                             [{op: 'add', path: '/foo/9', value: 1}]]) {
            try { applyPatch({foo: []}, bad); results.push(false); } catch (e) { results.push(true); }
          }
          done(results);
        }).catch(e => done(String(e)));
        """);
    assertThat(patchResults).asList().hasSize(12).containsOnly(true);

    // the demo APIs are listed, and the running ones show as running with samples
    await().atMost(patience).until(() -> listedApis(browser).containsAll(DEMOS));
    await().atMost(patience).until(() -> "RUNNING".equals(row(browser, "demo-ticker").getAttribute("data-state"))
        && !row(browser, "demo-ticker").findElement(By.cssSelector(".samples")).getText().equals("—"));

    // a registration made in the page appears in the list
    browser.findElement(By.id("token")).sendKeys(writeToken);
    browser.findElement(By.cssSelector("#token-form button")).click();
    WebElement form = browser.findElement(By.id("register-form"));
    form.findElement(By.name("apiId")).sendKeys("made-in-the-page");
    form.findElement(By.name("url")).sendKeys(upstreamUrl + "/static");
    WebElement interval = form.findElement(By.name("interval"));
    interval.clear();
    interval.sendKeys("2");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    await().atMost(patience).untilAsserted(() ->
        assertThat(browser.findElement(By.id("register-result")).getText()).contains("Registered made-in-the-page"));
    await().atMost(patience).until(() -> listedApis(browser).contains("made-in-the-page")
        && "RUNNING".equals(row(browser, "made-in-the-page").getAttribute("data-state")));
    screenshot(browser, "list");

    // a changing API in detail: its changes chart grows and its document updates live over SSE
    row(browser, "demo-ticker").findElement(By.tagName("a")).click();
    WebElement changes = browser.findElement(By.id("fig-changes"));
    WebElement document = browser.findElement(By.id("document"));
    await().atMost(patience).until(() -> number(changes.getAttribute("data-total")) > 0
        && number(document.getAttribute("data-events")) > 0);
    assertThat(browser.findElements(By.cssSelector("#fig-changes canvas"))).as("uPlot drew the chart").isNotEmpty();
    long changesBefore = number(changes.getAttribute("data-total"));
    long eventsBefore = number(document.getAttribute("data-events"));
    String documentBefore = document.getText();
    assertThat(documentBefore).contains("\"tick\"");
    await().atMost(patience).until(() -> number(changes.getAttribute("data-total")) > changesBefore);
    await().atMost(patience).until(() -> number(document.getAttribute("data-events")) > eventsBefore
        && !document.getText().equals(documentBefore));
    // the page re-renders these as data arrives: read them afresh until they hold (a stale element is read again)
    await().atMost(patience).ignoreExceptions().untilAsserted(() ->
        assertThat(browser.findElement(By.id("doc-status")).getText()).isEqualTo("live"));
    assertThat(browser.findElements(By.cssSelector("#changes .op-replace"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#logs tbody tr"))).isNotEmpty();
    // Seismo's own stream measured: this page is one of its clients
    await().atMost(patience).ignoreExceptions().untilAsserted(() ->
        assertThat(browser.findElement(By.id("proxy-sent")).getText()).containsPattern("actually sent .* [1-9][0-9]* open now"));
    // a poll in the execution log: where its time went, and the headers it sent and received
    await().atMost(patience).ignoreExceptions().untilAsserted(() -> {
      WebElement poll = browser.findElement(By.cssSelector("#logs tbody tr[data-kind=POLL]"));
      assertThat(poll.findElement(By.cssSelector(".phases")).getText()).contains("wait");
      poll.findElement(By.cssSelector("details summary")).click();
      assertThat(poll.findElement(By.cssSelector("details")).getText()).contains("User-Agent: Seismo");
    });
    await().atMost(patience).ignoreExceptions().untilAsserted(() ->
        assertThat(browser.findElement(By.cssSelector("#efficiency-bars .saving")).getText()).contains("saves"));
    // which fields change: the ticker's tick and price, as rows of the per-field table
    await().atMost(patience).ignoreExceptions().until(() -> browser.findElement(By.id("fields")).getText().contains("/price"));
    screenshot(browser, "detail");

    // mode BOTH: the bytes polling and streaming actually received, and which saw the changes first
    browser.get(browser.getCurrentUrl().replaceAll("#.*$", "") + "#/apis/demo-both");
    await().atMost(patience).ignoreExceptions().untilAsserted(() ->
        assertThat(browser.findElement(By.id("measured-summary")).getText()).startsWith("Streaming delivered"));
    assertThat(browser.findElements(By.cssSelector("#measured-bars .bar"))).hasSize(2);
    screenshot(browser, "both");

    // a volatile API: its timestamp and request id are suggested as ignore rules, added with one click
    browser.get(browser.getCurrentUrl().replaceAll("#.*$", "") + "#/apis/demo-volatile");
    await().atMost(patience).ignoreExceptions().until(() -> !browser.findElements(By.cssSelector("#suggestions button.ignore")).isEmpty());
    assertThat(browser.findElement(By.id("suggestions")).getText()).contains("/meta/requestId");
    browser.findElement(By.cssSelector("#suggestions button.ignore")).click();
    await().atMost(patience).ignoreExceptions().untilAsserted(() ->
        assertThat(browser.findElement(By.id("fields-rules")).getText()).contains("ignoring /meta/"));
    screenshot(browser, "fields");
    browser.get(browser.getCurrentUrl().replaceAll("#.*$", "") + "#");
    // the admin console: edit, delete, bulk actions, import/export, the system page and the dead letters
    AdminConsoleCheck.run(browser, apiUrl, upstreamUrl, writeToken, bootstrapServers, downloads);

    // a phone-sized screen: no horizontal scrolling of the page
    browser.manage().window().setSize(new Dimension(390, 844));
    await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(browser.executeScript(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1")));
    screenshot(browser, "narrow");
    browser.manage().window().setSize(new Dimension(1280, 1800));

    // the backend becomes unreachable: the page says so, and recovers by itself
    browser.executeCdpCommand("Network.enable", Map.of());
    browser.executeCdpCommand("Network.emulateNetworkConditions",
        Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    WebElement banner = browser.findElement(By.id("offline"));
    await().atMost(patience).until(banner::isDisplayed);
    assertThat(banner.getText()).contains("unreachable");
    assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("offline");
    screenshot(browser, "offline");
    browser.executeCdpCommand("Network.emulateNetworkConditions",
        Map.of("offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    await().atMost(patience).until(() -> !banner.isDisplayed()
        && browser.findElement(By.id("connection")).getText().equals("connected"));
  }

  /** The apiIds of the list's rows, read in one script call (a shared stack lists thousands of APIs). */
  @SuppressWarnings("unchecked")
  static List<String> listedApis(ChromeDriver browser) {
    return (List<String>) browser.executeScript(
        "return Array.from(document.querySelectorAll('#apis tbody tr'), row => row.dataset.apiId);");
  }

  static WebElement row(ChromeDriver browser, String apiId) {
    return browser.findElement(By.cssSelector("#apis tbody tr[data-api-id='" + apiId + "']"));
  }

  private static long number(String attribute) {
    return attribute == null || attribute.isEmpty() ? -1 : (long) Double.parseDouble(attribute);
  }

  static void screenshot(JavascriptExecutor browser, String name) throws java.io.IOException {
    Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", "dashboard-" + name + ".png");
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
