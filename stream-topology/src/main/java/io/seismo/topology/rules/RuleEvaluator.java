package io.seismo.topology.rules;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.seismo.schemas.AlertRule;
import io.seismo.schemas.ApiMetrics;
import io.seismo.topology.analysis.CanonicalJson;
import io.seismo.topology.analysis.LatencySketch;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether a rule's condition holds, from what the REST API shows: the API's current window aggregates
 * (the same records {@code GET /apis/{id}/metrics} returns), its last payload and its document. Pure: no
 * Kafka, no clock. A result with {@code holds == null} means "cannot tell" (no data yet, too few
 * samples): the rule's state stays as it was.
 */
public final class RuleEvaluator {

  private RuleEvaluator() {}

  /** The outcome of one evaluation: the condition, the measured value and a sentence for people. */
  public record Result(Boolean holds, Double value, String detail) {
    static Result unknown() {
      return new Result(null, null, "");
    }
  }

  /** A window rule (LATENCY_P95, ERROR_RATE, CHANGE_RATE) against the rule's current window, or null. */
  public static Result window(AlertRule rule, ApiMetrics window) {
    if (window == null || window.getSamples() < Math.max(1, rule.getMinSamples())) {
      return Result.unknown();
    }
    double above = rule.getAbove() == null ? Double.MAX_VALUE : rule.getAbove();
    String label = window.getWindow();
    return switch (rule.getKind()) {
      case LATENCY_P95 -> {
        Double p95 = LatencySketch.quantile(window.getLatencySketch(), 0.95);
        yield p95 == null ? Result.unknown()
            : new Result(p95 > above, p95, String.format(Locale.ROOT, "latency p95 over %s window %.0f ms (threshold %.0f ms, %d samples)",
                label, p95, above, window.getSamples()));
      }
      case ERROR_RATE -> {
        double percent = 100.0 * window.getErrors() / window.getSamples();
        yield new Result(percent > above, percent, String.format(Locale.ROOT,
            "error rate over %s window %.1f%% (%d of %d samples; threshold %s%%)", label, percent, window.getErrors(),
            window.getSamples(), trim(above)));
      }
      case CHANGE_RATE -> new Result(window.getChanges() > above, (double) window.getChanges(), String.format(Locale.ROOT,
          "%d changes in the %s window (threshold %s)", window.getChanges(), label, trim(above)));
      default -> Result.unknown();
    };
  }

  /** PAYLOAD_SIZE for one payload of {@code size} bytes after one of {@code previous} bytes (null: the first). */
  public static Result payloadSize(AlertRule rule, long size, Double previous) {
    StringBuilder why = new StringBuilder();
    if (rule.getAbove() != null && size > rule.getAbove()) {
      why.append("payload ").append(size).append(" B above ").append(trim(rule.getAbove())).append(" B");
    }
    if (rule.getBelow() != null && size < rule.getBelow()) {
      why.append("payload ").append(size).append(" B below ").append(trim(rule.getBelow())).append(" B");
    }
    if (rule.getJumpPercent() != null && previous != null) {
      double jump = previous == 0 ? (size == 0 ? 0 : Double.POSITIVE_INFINITY) : 100.0 * Math.abs(size - previous) / previous;
      if (jump > rule.getJumpPercent()) {
        if (!why.isEmpty()) {
          why.append("; ");
        }
        why.append(String.format(Locale.ROOT, "payload size jumped %s%% (%.0f B → %d B; threshold %s%%)",
            Double.isInfinite(jump) ? "∞" : String.format(Locale.ROOT, "%.0f", jump), previous, size,
            trim(rule.getJumpPercent())));
      }
    }
    boolean holds = !why.isEmpty();
    return new Result(holds, (double) size, holds ? why.toString() : "payload " + size + " B within bounds");
  }

  /** NO_CHANGE: the document has not changed for {@code quietMs} (since the last change or since observed). */
  public static Result noChange(AlertRule rule, long quietMs) {
    long period = rule.getPeriodMs() == null ? Long.MAX_VALUE : rule.getPeriodMs();
    return new Result(quietMs > period, (double) quietMs, "no change for " + Duration.ofMillis(quietMs)
        + " (expected at least one every " + Duration.ofMillis(period) + ")");
  }

  /**
   * POINTER against the analysed document ({@code null}: the payload was not JSON — cannot tell). The
   * condition ("matches") is the comparison; the rule holds — an incident — when it does not match, or,
   * with {@code alertWhenMatches}, when it does.
   */
  public static Result pointer(AlertRule rule, JsonNode document) {
    if (document == null) {
      return Result.unknown();
    }
    JsonNode target = document.at(JsonPointer.compile(rule.getPointer()));
    String op = rule.getOp();
    boolean matches;
    Double value = null;
    String shown;
    if (target.isMissingNode()) {
      matches = "missing".equals(op);
      shown = "missing";
    } else if ("exists".equals(op) || "missing".equals(op)) {
      matches = "exists".equals(op);
      shown = "present";
    } else {
      JsonNode measured = target;
      if (rule.getLength()) {
        int length = target.isTextual() ? target.textValue().length() : target.size();
        measured = CanonicalJson.mapper().getNodeFactory().numberNode(length);
      }
      if (measured.isNumber()) {
        value = measured.doubleValue();
      }
      shown = abbreviate(CanonicalJson.text(measured));
      matches = compare(op, measured, rule.getValue());
    }
    boolean holds = rule.getAlertWhenMatches() == matches;
    String condition = rule.getPointer() + (rule.getLength() ? " length " : " ") + op
        + (rule.getValue() == null ? "" : " " + rule.getValue());
    return new Result(holds, value, (matches ? "matches " : "does not match ") + condition + " (value " + shown + ")");
  }

  private static boolean compare(String op, JsonNode measured, String operandText) {
    if ("matches".equals(op)) {
      String text = measured.isTextual() ? measured.textValue() : CanonicalJson.text(measured);
      return compiled(operandText).matcher(text).find();
    }
    JsonNode operand = operand(operandText);
    if (operand == null) {
      return false;
    }
    return switch (op) {
      case "==" -> equal(measured, operand);
      case "!=" -> !equal(measured, operand);
      case ">", ">=", "<", "<=" -> {
        if (!measured.isNumber() || !operand.isNumber()) {
          yield false; // an order between non-numbers is not a condition Seismo guesses at
        }
        int order = Double.compare(measured.doubleValue(), operand.doubleValue());
        yield switch (op) {
          case ">" -> order > 0;
          case ">=" -> order >= 0;
          case "<" -> order < 0;
          default -> order <= 0;
        };
      }
      default -> false;
    };
  }

  private static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
    }
    return a.equals(b);
  }

  /** The operand as JSON; refused at registration when it is not JSON. */
  static JsonNode operand(String text) {
    if (text == null) {
      return null;
    }
    try {
      return CanonicalJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private static Pattern compiled(String regex) {
    Function<String, Pattern> compile = r -> {
      try {
        return Pattern.compile(r == null ? "" : r);
      } catch (PatternSyntaxException e) {
        return Pattern.compile("(?!)"); // never matches; refused at registration
      }
    };
    return PATTERNS.size() > 1_000 ? compile.apply(regex) : PATTERNS.computeIfAbsent(regex == null ? "" : regex, compile);
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "…";
  }

  private static String trim(double number) {
    return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number)
        : Double.toString(number);
  }
}
