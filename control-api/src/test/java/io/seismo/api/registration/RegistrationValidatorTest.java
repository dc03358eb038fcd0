package io.seismo.api.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.error.Problem;
import io.seismo.api.error.ProblemException;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.runtime.net.SecretNames;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private final RegistrationValidator validator = new RegistrationValidator(1000,
      AddressGuard.allowing(List.of("localhost", "127.0.0.0/8", "::1/128")));

  private static byte[] body(Map<String, Object> fields) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiId", "a1");
    body.put("url", "http://localhost:8080/data");
    body.putAll(fields);
    return JSON.writeValueAsBytes(body);
  }

  private Problem refused(byte[] body) {
    ProblemException e = catchThrowableOfType(ProblemException.class, () -> validator.create(body, NOW));
    assertThat(e).as("refused").isNotNull();
    return e.toProblem("/apis");
  }

  @Test
  void shouldRefuseHeaderValuesWithControlOrNonAsciiCharactersWithoutShowingThem() throws Exception {
    for (String value : List.of("s3cr3t\u0007", "s3cr3t\u00e9", "s3cr3t\u007f", "s3cr3t\u2028", " s3cr3t", "s3cr3t\t")) {
      Problem problem = refused(body(Map.of("headers", Map.of("X-Key", value))));

      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem.errors()).containsExactly(new Problem.FieldError("headers.X-Key",
          "must be an RFC 9110 field value of at most 8192 characters: printable ASCII, space and tab, no leading or"
              + " trailing space or tab (the value is not shown)"));
      assertThat(JSON.writeValueAsString(problem)).doesNotContain("s3cr3t");
    }
  }

  @Test
  void shouldAcceptVisibleAsciiWithInnerSpaceAndTab() throws Exception {
    Registration registration = validator.create(body(Map.of("headers", Map.of("X-Key", "a b\tc~!"))), NOW);

    assertThat(registration.getHeaders()).isEqualTo(Map.of("X-Key", "a b\tc~!"));
  }

  @Test
  void shouldRefuseHopByHopFramingAndProxyHeaders() throws Exception {
    for (String name : List.of("TE", "Upgrade", "Expect", "Connection", "keep-alive", "Transfer-Encoding",
        "Content-Length", "Host", "Proxy-Authorization", "Proxy-Connection", "Trailer")) {
      Problem problem = refused(body(Map.of("headers", Map.of(name, "x"))));

      assertThat(problem.errors()).containsExactly(new Problem.FieldError("headers." + name,
          "is a hop-by-hop, framing or proxy header, set by Seismo itself or by nobody"));
    }
  }

  @Test
  void shouldRefuseHeaderNamesThatAreNotTokens() throws Exception {
    Problem problem = refused(body(Map.of("headers", Map.of("X Key\u0001", "x"))));

    assertThat(problem.errors()).containsExactly(new Problem.FieldError("headers.X?Key?",
        "is not a valid HTTP header name (an RFC 9110 token of at most 128 characters)"));
  }

  @Test
  void shouldRefuseSecretReferencesOutsideTheAllowlistWithAClearError() throws Exception {
    Problem problem = refused(body(Map.of("headers", Map.of("X-Steal", "Bearer ${env:SEISMO_NOTIFY_SECRET}"))));

    assertThat(problem.errors()).containsExactly(new Problem.FieldError("headers.X-Steal",
        "references ${env:SEISMO_NOTIFY_SECRET}, which is not an allowed secret name: SEISMO_SECRET_ENV_ALLOW"
            + " allows SEISMO_SECRET_*"));
  }

  @Test
  void shouldAcceptAllowedSecretReferencesAndRefuseMalformedOnes() throws Exception {
    Registration registration = validator.create(body(Map.of("headers",
        Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_WEATHER}"))), NOW);
    assertThat(registration.getHeaders()).isEqualTo(Map.of("Authorization", "Bearer ${env:SEISMO_SECRET_WEATHER}"));

    Problem malformed = refused(body(Map.of("headers", Map.of("X-Key", "${env:seismo-secret}"))));
    assertThat(malformed.errors()).containsExactly(new Problem.FieldError("headers.X-Key",
        "has a malformed secret reference: write ${env:NAME} with NAME of letters, digits and '_'"));

    RegistrationValidator custom = new RegistrationValidator(1000,
        AddressGuard.allowing(List.of("localhost", "127.0.0.0/8", "::1/128")),
        SecretNames.of(List.of("WEATHER_*")));
    assertThat(custom.create(body(Map.of("headers", Map.of("X-Key", "${env:WEATHER_KEY}"))), NOW).getHeaders())
        .isEqualTo(Map.of("X-Key", "${env:WEATHER_KEY}"));
  }

  private Registration stored() throws Exception {
    return validator.create(body(Map.of("headers", Map.of("Authorization", "Bearer s3cr3t", "X-Api-Key", "k3y",
        "Accept-Language", "en"), "desiredState", "STOPPED")), NOW);
  }

  /** The body of a GET /apis/{id}, as a client would send it back. */
  private static Map<String, Object> asRead(Registration registration) {
    Map<String, Object> read = new LinkedHashMap<>();
    read.put("apiId", registration.getApiId());
    read.put("url", registration.getUrl());
    read.put("mode", registration.getMode().name());
    read.put("pollIntervalMs", registration.getPollIntervalMs());
    read.put("headers", Redaction.redacted(registration.getHeaders()));
    read.put("jsonPointer", registration.getJsonPointer());
    read.put("desiredState", registration.getDesiredState().name());
    read.put("notifyWebhooks", registration.getNotifyWebhooks());
    read.put("alertOnChange", registration.getAlertOnChange());
    read.put("version", registration.getVersion());
    read.put("createdAt", registration.getCreatedAt().toString());
    read.put("updatedAt", registration.getUpdatedAt().toString());
    return read;
  }

  @Test
  void shouldAcceptAReadRegistrationSentBackAndKeepTheStoredSecrets() throws Exception {
    Registration current = stored();
    Map<String, Object> read = asRead(current);
    assertThat(read.get("headers")).isEqualTo(Map.of("Authorization", "<redacted>", "X-Api-Key", "<redacted>",
        "Accept-Language", "en"));

    Registration next = validator.replace(JSON.writeValueAsBytes(read), current, NOW.plusSeconds(60));

    assertThat(next.getHeaders()).isEqualTo(Map.of("Authorization", "Bearer s3cr3t", "X-Api-Key", "k3y",
        "Accept-Language", "en"));
    assertThat(next.getVersion()).isEqualTo(2);
    assertThat(next.getCreatedAt()).isEqualTo(NOW);
    assertThat(next.getUpdatedAt()).isEqualTo(NOW.plusSeconds(60));
  }

  @Test
  void shouldRefuseReadOnlyFieldsThatDoNotMatchTheCurrentRegistration() throws Exception {
    Registration current = stored();
    Map<String, Object> read = asRead(current);
    read.put("version", 7);
    read.put("createdAt", "2020-01-01T00:00:00Z");

    ProblemException e = catchThrowableOfType(ProblemException.class,
        () -> validator.replace(JSON.writeValueAsBytes(read), current, NOW));

    assertThat(e.toProblem("/apis/a1").errors()).containsExactly(
        new Problem.FieldError("version", "is read-only: send 1 (the current version) or leave it out"),
        new Problem.FieldError("createdAt", "is read-only: send 2026-12-01T10:00:00Z or leave it out"));
  }

  @Test
  void shouldRefuseARedactedValueWithNoStoredSecretBehindIt() throws Exception {
    Registration current = stored();
    Map<String, Object> read = asRead(current);
    read.put("headers", Map.of("X-Other-Token", "<redacted>"));

    ProblemException put = catchThrowableOfType(ProblemException.class,
        () -> validator.replace(JSON.writeValueAsBytes(read), current, NOW));
    Problem post = refused(body(Map.of("headers", Map.of("Authorization", "<redacted>"))));

    assertThat(put.toProblem("/apis/a1").errors()).containsExactly(new Problem.FieldError("headers.X-Other-Token",
        "is '<redacted>', which keeps a stored secret, but the registration has no value for this header: send the value"));
    assertThat(post.errors()).containsExactly(new Problem.FieldError("headers.Authorization",
        "is '<redacted>', which keeps a stored secret, but the registration has no value for this header: send the value"));
  }

  @Test
  void shouldRefusePortZeroAndPortsAbove65535InUrlsAndWebhooks() throws Exception {
    for (String url : List.of("http://localhost:0/data", "http://localhost:65536/data", "http://localhost:99999/data")) {
      Problem problem = refused(body(Map.of("url", url)));
      Problem hook = refused(body(Map.of("notifyWebhooks", List.of(url))));

      assertThat(problem.errors()).as(url).containsExactly(new Problem.FieldError("url", "must have a port from 1 to 65535"));
      assertThat(hook.errors()).as(url).containsExactly(new Problem.FieldError("notifyWebhooks[0]",
          "must have a port from 1 to 65535"));
    }
    assertThat(validator.create(body(Map.of("url", "http://localhost:65535/data")), NOW).getUrl())
        .isEqualTo("http://localhost:65535/data");
  }

  @Test
  void shouldRefuseMoreThan50HeadersAnd10WebhooksAndLongPointers() throws Exception {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < 51; i++) {
      headers.put("X-H" + i, "v");
    }
    List<String> hooks = Collections.nCopies(11, "http://localhost:9/hook");

    Problem problem = refused(body(Map.of("headers", headers, "notifyWebhooks", hooks, "jsonPointer", "/" + "p".repeat(1024))));

    assertThat(problem.errors()).containsExactly(
        new Problem.FieldError("headers", "must have at most 50 headers, has 51"),
        new Problem.FieldError("jsonPointer", "must be at most 1024 characters"),
        new Problem.FieldError("notifyWebhooks", "must have at most 10 webhooks, has 11"));
    headers.remove("X-H0");
    assertThat(validator.create(body(Map.of("headers", headers, "notifyWebhooks", hooks.subList(0, 10))), NOW)
        .getNotifyWebhooks()).hasSize(10);
  }

  @Test
  void shouldRefuseDuplicateKeysNamingTheField() {
    Problem top = refused("{\"apiId\":\"a1\",\"url\":\"http://localhost:1/a\",\"url\":\"http://localhost:1/b\"}"
        .getBytes(StandardCharsets.UTF_8));
    Problem nested = refused(("{\"apiId\":\"a1\",\"url\":\"http://localhost:1/a\",\"headers\":{\"X-A\":\"1\","
        + "\"X-A\":\"2\"}}").getBytes(StandardCharsets.UTF_8));

    assertThat(top.detail()).isEqualTo("duplicate field 'url'");
    assertThat(top.errors()).containsExactly(new Problem.FieldError("url", "appears more than once; send each field once"));
    assertThat(nested.detail()).isEqualTo("duplicate field 'headers.X-A'");
    assertThat(nested.errors()).containsExactly(new Problem.FieldError("headers.X-A",
        "appears more than once; send each field once"));
  }

  @Test
  void shouldKeepTheCurrentDesiredStateWhenAPutLeavesItOut() throws Exception {
    Registration current = stored(); // STOPPED
    Map<String, Object> put = new LinkedHashMap<>();
    put.put("url", "http://localhost:8080/other");

    Registration next = validator.replace(JSON.writeValueAsBytes(put), current, NOW);

    assertThat(next.getDesiredState()).isEqualTo(DesiredState.STOPPED);
    assertThat(next.getUrl()).isEqualTo("http://localhost:8080/other");
  }

  @Test
  void shouldNotShowAHeaderValueOfTheWrongJsonType() throws Exception {
    Problem problem = refused("{\"apiId\":\"a1\",\"url\":\"http://localhost:1/a\",\"headers\":{\"X-Pin\":987654}}"
        .getBytes(StandardCharsets.UTF_8));

    assertThat(JSON.writeValueAsString(problem)).doesNotContain("987654");
    assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("headers.X-Pin");
  }

  @Test
  void shouldStoreChangeRulesWhenTheyAreValid() throws Exception {
    Registration registration = validator.create(body(Map.of("ignore", List.of("/meta/requestId", "/items/*/updatedAt", "/**/etag"),
        "select", List.of("/data", "/meta/page"), "unorderedArrays", List.of("/tags"), "arrayKeys", Map.of("/items", "id"))), NOW);

    assertThat(registration.getIgnore()).containsExactly("/meta/requestId", "/items/*/updatedAt", "/**/etag");
    assertThat(registration.getSelect()).containsExactly("/data", "/meta/page");
    assertThat(registration.getUnorderedArrays()).containsExactly("/tags");
    assertThat(registration.getArrayKeys()).isEqualTo(Map.of("/items", "id"));
  }

  @Test
  void shouldNameEachInvalidChangeRuleWhenRefusingIt() throws Exception {
    Problem problem = refused(body(Map.of("jsonPointer", "/data", "select", List.of("/a/*"),
        "ignore", List.of("meta/requestId", "/ok", "/bad~2"), "unorderedArrays", List.of(""), "arrayKeys", Map.of("items", ""))));

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("select", "select[0]", "ignore[0]",
        "ignore[2]", "unorderedArrays[0]", "arrayKeys.items", "arrayKeys.items");
    assertThat(problem.errors().get(2).message()).contains("starting with '/'");
    assertThat(refused(body(Map.of("ignore", "/x"))).errors()).extracting(Problem.FieldError::field).containsExactly("ignore");
  }
}
