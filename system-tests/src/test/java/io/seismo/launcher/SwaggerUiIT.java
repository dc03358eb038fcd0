package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Swagger UI at {@code /docs}, served from its webjar (no CDN), on the control API's own
 * {@code /openapi.yaml}: the page and every asset it names are served, and a real headless Chromium
 * renders the operations of the spec (skipped without Debian's chromium and chromium-driver).
 */
class SwaggerUiIT {

  private static final Path CHROMIUM = Path.of(System.getProperty("seismo.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("seismo.chromedriver", "/usr/bin/chromedriver"));
  private final SeismoStack stack = TestStack.stack();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeSwaggerUiFromItsWebjarWhenDocsIsOpened() throws Exception {
    HttpResponse<String> page = get("/docs/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    Matcher assets = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
    int count = 0;
    while (assets.find()) {
      HttpResponse<String> asset = get(assets.group(1));
      assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
      assertThat(asset.body()).as(assets.group(1)).isNotBlank();
      count++;
    }
    assertThat(count).as("the css, the bundle and the initializer").isEqualTo(3);
    assertThat(page.body()).contains("/webjars/swagger-ui/").doesNotContain("${");
    assertThat(get("/docs/init.js").body()).contains("url: '/openapi.yaml'");
  }

  @Test
  void shouldRenderEveryOperationWhenABrowserOpensDocs() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no Chromium/chromedriver: the browser part is skipped");
    int operations = countOperations(get("/openapi.yaml").body());
    Path profile = Files.createTempDirectory("seismo-chromium-docs");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--window-size=1280,1800", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    try {
      browser.get(stack.apiUrl() + "/docs/");
      await().atMost(Duration.ofSeconds(60)).until(() -> browser.findElements(By.cssSelector(".opblock")).size() == operations);
      assertThat(browser.findElement(By.cssSelector(".info .title")).getText()).contains("Seismo");
      assertThat(browser.findElements(By.cssSelector(".errors-wrapper"))).as("Swagger UI found no errors").isEmpty();
    } finally {
      browser.quit();
    }
  }

  /** Operations in the spec: method keys under paths (a line-level count; the spec is block-style YAML). */
  private static int countOperations(String yaml) {
    Matcher methods = Pattern.compile("(?m)^    (get|put|post|delete|patch|head|options):").matcher(yaml);
    int count = 0;
    while (methods.find()) {
      count++;
    }
    assertThat(count).isPositive();
    return count;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
