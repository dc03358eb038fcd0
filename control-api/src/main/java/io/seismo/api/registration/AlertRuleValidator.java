package io.seismo.api.registration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.registration.AlertRules.RuleRequest;
import io.seismo.schemas.RuleKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks the alert rules of a registration request, an error per bad field. */
final class AlertRuleValidator {

  static final int MAX_RULES = 20;
  private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Set<String> OPS = Set.of("==", "!=", ">", ">=", "<", "<=", "exists", "missing", "matches");
  private static final Set<String> WINDOWS = Set.of("1m", "1h", "1d");
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertRuleValidator() {}

  static void validate(List<RuleRequest> rules, List<FieldError> errors) {
    if (rules != null) {
      if (rules.size() > MAX_RULES) {
        errors.add(new FieldError("rules", "must have at most " + MAX_RULES + " rules, has " + rules.size()));
      } else {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
          validateRule("rules[" + i + "]", rules.get(i), ids, errors);
        }
      }
    }
  }

  private static void validateRule(String field, RuleRequest rule, Set<String> ids, List<FieldError> errors) {
    if (rule == null) {
      errors.add(new FieldError(field, "must be an object"));
      return;
    }
    if (rule.id() == null || !RULE_ID.matcher(rule.id()).matches()) {
      errors.add(new FieldError(field + ".id", "is required: 1-63 characters of a-z, 0-9, '.', '_' or '-'"));
    } else if (!ids.add(rule.id())) {
      errors.add(new FieldError(field + ".id", "'" + rule.id() + "' is used by another rule; rule ids are unique"));
    }
    if (rule.kind() == null || rule.kind() == RuleKind.UNKNOWN) {
      errors.add(new FieldError(field + ".kind", "is required: one of LATENCY_P95, ERROR_RATE, PAYLOAD_SIZE, NO_CHANGE,"
          + " CHANGE_RATE, POINTER"));
      return;
    }
    nonNegative(field + ".forMs", rule.forMs(), errors);
    nonNegative(field + ".reminderMs", rule.reminderMs(), errors);
    if (rule.minSamples() != null && rule.minSamples() < 1) {
      errors.add(new FieldError(field + ".minSamples", "must be at least 1"));
    }
    switch (rule.kind()) {
      case LATENCY_P95, ERROR_RATE, CHANGE_RATE -> {
        if (rule.window() != null && !WINDOWS.contains(rule.window())) {
          errors.add(new FieldError(field + ".window", "must be 1m, 1h or 1d"));
        }
        if (rule.above() == null || rule.above() < 0) {
          errors.add(new FieldError(field + ".above", "is required for " + rule.kind() + ": a threshold of at least 0"
              + (rule.kind() == RuleKind.ERROR_RATE ? " (percent)" : rule.kind() == RuleKind.LATENCY_P95 ? " (ms)" : "")));
        }
      }
      case PAYLOAD_SIZE -> {
        if (rule.above() == null && rule.below() == null && rule.jumpPercent() == null) {
          errors.add(new FieldError(field, "PAYLOAD_SIZE needs above, below or jumpPercent"));
        }
        if (rule.jumpPercent() != null && rule.jumpPercent() <= 0) {
          errors.add(new FieldError(field + ".jumpPercent", "must be above 0"));
        }
      }
      case NO_CHANGE -> {
        if (rule.periodMs() == null || rule.periodMs() < 1_000) {
          errors.add(new FieldError(field + ".periodMs", "is required for NO_CHANGE: at least 1000 (ms)"));
        }
      }
      case POINTER -> validatePointer(field, rule, errors);
      default -> { }
    }
  }

  private static void validatePointer(String field, RuleRequest rule, List<FieldError> errors) {
    if (rule.pointer() == null || !(rule.pointer().isEmpty() || rule.pointer().startsWith("/"))
        || rule.pointer().length() > ChangeRuleValidator.MAX_JSON_POINTER_LENGTH) {
      errors.add(new FieldError(field + ".pointer", "is required for POINTER: an RFC 6901 JSON Pointer (empty or"
          + " starting with '/')"));
    }
    if (rule.op() == null || !OPS.contains(rule.op())) {
      errors.add(new FieldError(field + ".op", "must be one of ==, !=, >, >=, <, <=, exists, missing, matches"));
      return;
    }
    if (rule.op().equals("exists") || rule.op().equals("missing")) {
      return;
    }
    if (rule.value() == null) {
      errors.add(new FieldError(field + ".value", "is required for op " + rule.op()));
    } else if (rule.op().equals("matches")) {
      try {
        Pattern.compile(rule.value());
      } catch (PatternSyntaxException e) {
        errors.add(new FieldError(field + ".value", "is not a regular expression: " + e.getDescription()));
      }
    } else {
      try {
        JSON.readTree(rule.value());
      } catch (JsonProcessingException e) {
        errors.add(new FieldError(field + ".value", "must be JSON text: a string in quotes (\"\\\"ok\\\"\"), a number,"
            + " true, false or null"));
      }
    }
  }

  private static void nonNegative(String field, Long value, List<FieldError> errors) {
    if (value != null && value < 0) {
      errors.add(new FieldError(field, "must be at least 0 (ms)"));
    }
  }
}
