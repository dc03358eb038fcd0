package io.seismo.api.route;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.registration.Registrations;
import io.seismo.schemas.Registration;
import io.seismo.topology.change.ChangeRules;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** {@code POST /apis/{id}/ignore}: adds suggested ignore rules to a registration in one call. */
public final class IgnoreHandler {

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private final Registrations registrations;
  private final Clock clock;

  public IgnoreHandler(Registrations registrations, Clock clock) {
    this.registrations = registrations;
    this.clock = clock;
  }

  /** The body of {@code POST /apis/{id}/ignore}. */
  record IgnoreRequest(List<String> patterns) {
    @JsonCreator
    IgnoreRequest(@JsonProperty("patterns") List<String> patterns) {
      this.patterns = patterns;
    }
  }

  /**
   * POST /apis/{id}/ignore {"patterns":["/meta/requestId"]}: adds ignore patterns (a suggestion, one call)
   * to the registration — a new version, as a PUT would write — keeping those it has. If-Match is
   * optional. Patterns it already has are not added again; when none is new nothing is written.
   */
  public void ignore(Context ctx) {
    existing(ctx.pathParam("id")); // 404 first
    Preconditions.requireJson(ctx);
    IgnoreRequest request = parse(ctx.bodyAsBytes());
    Registration[] result = new Registration[1];
    try {
      write(ctx, request, result);
    } catch (Unchanged unchanged) {
      // nothing new: no version written, the current registration is the answer
    }
    ctx.header("ETag", Preconditions.etag(result[0])).json(Views.RegistrationView.of(result[0]));
  }

  private void write(Context ctx, IgnoreRequest request, Registration[] result) {
    registrations.write(existing(ctx.pathParam("id")).getApiId(), () -> {
      Registration current = existing(ctx.pathParam("id"));
      Preconditions.checkMatch(ctx, current);
      List<String> ignore = new ArrayList<>(current.getIgnore());
      request.patterns().stream().filter(p -> !ignore.contains(p)).distinct().forEach(ignore::add);
      List<ChangeRules.Problem> problems = ChangeRules.validate(current.getJsonPointer(), current.getSelect(), ignore,
          current.getUnorderedArrays(), current.getArrayKeys());
      if (!problems.isEmpty()) {
        List<FieldError> errors = problems.stream().map(p -> new FieldError(patternField(p.field(), current, request), p.message()))
            .toList();
        throw ProblemException.badRequest(errors.stream().map(e -> e.field() + " " + e.message())
            .collect(Collectors.joining("; ")), errors);
      }
      if (ignore.size() == current.getIgnore().size()) {
        result[0] = current;
        throw new Unchanged();
      }
      result[0] = Registration.newBuilder(current).setIgnore(ignore).setVersion(current.getVersion() + 1)
          .setUpdatedAt(Instant.now(clock)).build();
      return result[0];
    });
  }

  /** "ignore[3]" of the merged list as "patterns[i]" of the request when the pattern is one it sent. */
  private static String patternField(String field, Registration current, IgnoreRequest request) {
    if (!field.startsWith("ignore[")) {
      return field;
    }
    int index = Integer.parseInt(field.substring("ignore[".length(), field.length() - 1)) - current.getIgnore().size();
    List<String> added = request.patterns().stream().filter(p -> !current.getIgnore().contains(p)).distinct().toList();
    return index >= 0 && index < added.size() ? "patterns[" + request.patterns().indexOf(added.get(index)) + "]" : field;
  }

  private static IgnoreRequest parse(byte[] body) {
    IgnoreRequest request;
    try {
      request = body == null || body.length == 0 ? null : STRICT.readValue(body, IgnoreRequest.class);
    } catch (IOException e) {
      throw ProblemException.badRequest("the body must be {\"patterns\": [\"/json/pointer\", …]}",
          List.of(new FieldError("patterns", "must be an array of JSON Pointer patterns")));
    }
    if (request == null || request.patterns() == null || request.patterns().isEmpty()
        || request.patterns().stream().anyMatch(Objects::isNull)) {
      throw ProblemException.badRequest("the body must be {\"patterns\": [\"/json/pointer\", …]} with at least one pattern",
          List.of(new FieldError("patterns", "is required: a non-empty array of JSON Pointer patterns")));
    }
    return request;
  }

  private Registration existing(String apiId) {
    return registrations.require(apiId);
  }

  /** Nothing to add: no new version is written. */
  static final class Unchanged extends RuntimeException {
    Unchanged() {
      super(null, null, false, false);
    }
  }
}
