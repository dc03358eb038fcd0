package io.seismo.api.registration;

import io.seismo.api.error.Problem.FieldError;
import io.seismo.topology.change.ChangeRules;
import java.util.List;

/** Checks what a registration compares between two polls: its JSON Pointer and its change rules. */
final class ChangeRuleValidator {

  static final int MAX_JSON_POINTER_LENGTH = 1024;

  private ChangeRuleValidator() {}

  static void validate(RegistrationRequest request, List<FieldError> errors) {
    if (request.jsonPointer() != null && request.jsonPointer().length() > MAX_JSON_POINTER_LENGTH) {
      errors.add(new FieldError("jsonPointer", "must be at most " + MAX_JSON_POINTER_LENGTH + " characters"));
    } else if (request.jsonPointer() != null && !request.jsonPointer().isEmpty() && !request.jsonPointer().startsWith("/")) {
      errors.add(new FieldError("jsonPointer", "must be an RFC 6901 JSON Pointer: empty or starting with '/'"));
    }
    ChangeRules.validate(request.jsonPointer(), request.select(), request.ignore(),
            request.unorderedArrays(), request.arrayKeys())
        .forEach(problem -> errors.add(new FieldError(problem.field(), problem.message())));
  }
}
