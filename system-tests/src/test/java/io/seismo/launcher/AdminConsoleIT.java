package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seismo.testsupport.SharedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The admin console ({@link AdminConsoleCheck}) in a real headless Chromium against the in-JVM stack on the
 * shared broker — the same checks the quickstart's browser test runs, without the quickstart's child JVMs
 * (a broker of its own), so they also run where QuickstartIT is too slow to start. Skipped without Chromium.
 */
class AdminConsoleIT {

  private static final Path CHROMIUM = Path.of(System.getProperty("seismo.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("seismo.chromedriver", "/usr/bin/chromedriver"));

  @Test
  void shouldRunTheSystemFromThePageWhenAnOperatorHasTheWriteToken() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no Chromium at " + CHROMIUM + " / chromedriver at " + CHROMEDRIVER + ": the browser test is skipped");
    SeismoStack stack = TestStack.stack();
    RestClient rest = new RestClient(stack.apiUrl());
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> rest.get("/health/ready").status() == 200 && rest.get("/apis").status() == 200);
    Path profile = Files.createTempDirectory("seismo-chromium");
    Path downloads = Files.createTempDirectory("seismo-downloads");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,1800", "--user-data-dir=" + profile);
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    try {
      browser.get(stack.apiUrl() + "/");
      assertThat(browser.getCurrentUrl()).endsWith("/dashboard/");
      browser.findElement(By.id("token")).sendKeys(TestStack.WRITE_TOKEN);
      browser.findElement(By.cssSelector("#token-form button")).click();
      AdminConsoleCheck.run(browser, stack.apiUrl(), TestStack.upstream().url(""), TestStack.WRITE_TOKEN,
          SharedKafkaBroker.bootstrapServers(), downloads);
    } catch (AssertionError | RuntimeException e) {
      try {
        DashboardBrowserCheck.screenshot(browser, "admin-failure");
      } catch (RuntimeException | IOException ignored) {
        e.addSuppressed(ignored);
      }
      throw e;
    } finally {
      browser.quit();
    }
  }
}
