package io.seismo.api.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.error.Problem;
import io.seismo.api.error.ProblemException;
import io.seismo.runtime.net.AddressGuard;
import io.seismo.schemas.Registration;
import io.seismo.schemas.RuleKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules, silences and schedules in a registration: accepted as documented, refused with an error per bad field. */
class AlertRulesValidationTest {

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

  @Test
  void shouldStoreRulesSilencesAndScheduleWhenValid() throws Exception {
    Registration registration = validator.create(body(Map.of(
        "rules", List.of(
            Map.of("id", "slow", "kind", "LATENCY_P95", "window", "1h", "above", 800, "forMs", 120000),
            Map.of("id", "hourly", "kind", "NO_CHANGE", "periodMs", 3600000),
            Map.of("id", "ok", "kind", "POINTER", "pointer", "/status", "op", "==", "value", "\"ok\"")),
        "silences", List.of(Map.of("from", "2026-12-24T18:00:00Z", "until", "2026-12-26T08:00:00Z", "reason", "holidays")),
        "schedule", Map.of("cron", "*/5 9-17 * * MON-FRI", "timeZone", "Europe/Paris"))), NOW);

    assertThat(registration.getRules()).extracting(r -> r.getKind())
        .containsExactly(RuleKind.LATENCY_P95, RuleKind.NO_CHANGE, RuleKind.POINTER);
    assertThat(registration.getRules().getFirst().getForMs()).isEqualTo(120_000);
    assertThat(registration.getSilences().getFirst().getFrom()).isEqualTo(Instant.parse("2026-12-24T18:00:00Z").toEpochMilli());
    assertThat(registration.getSchedule().getTimeZone()).isEqualTo("Europe/Paris");
  }

  @Test
  void shouldNameEveryBadFieldWhenRulesAndScheduleAreInvalid() throws Exception {
    ProblemException e = catchThrowableOfType(ProblemException.class, () -> validator.create(body(Map.of(
        "rules", List.of(
            Map.of("id", "a", "kind", "ERROR_RATE", "window", "5m"),
            Map.of("id", "a", "kind", "POINTER", "pointer", "status", "op", "=~", "value", "x"),
            Map.of("id", "q", "kind", "NO_CHANGE")),
        "silences", List.of(Map.of("from", "2026-12-26T08:00:00Z", "until", "2026-12-24T18:00:00Z")),
        "schedule", Map.of("cron", "every day", "timeZone", "Mars/Olympus"))), NOW));
    Problem problem = e.toProblem("/apis");

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactlyInAnyOrder(
        "rules[0].window", "rules[0].above", "rules[1].id", "rules[1].pointer", "rules[1].op", "rules[2].periodMs",
        "silences[0].until", "schedule.timeZone", "schedule.cron");
  }
}
