package io.seismo.api.route;

import static io.seismo.api.route.Preconditions.checkMatch;
import static io.seismo.api.route.Preconditions.etag;
import static io.seismo.api.route.Preconditions.requireJson;
import static io.seismo.api.route.Preconditions.requireMatch;
import static io.seismo.api.route.QueryParams.enumParam;
import static io.seismo.api.route.QueryParams.intParam;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.StoreQueries;
import io.seismo.api.registration.RegistrationValidator;
import io.seismo.api.registration.Registrations;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.store.StoreNames;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registrations themselves: {@code POST /apis}, {@code GET /apis}, and {@code GET|PUT|DELETE /apis/{id}}
 * with its {@code start} and {@code stop}. Every change is a conditional write (ETag / If-Match) through
 * {@link Registrations#write}. Access is declared on the routes.
 */
public final class RegistrationHandlers {

  private static final int MAX_PAGE = 500;

  private final RegistrationValidator validator;
  private final Registrations registrations;
  private final StoreQueries queries;
  private final Clock clock;

  public RegistrationHandlers(RegistrationValidator validator, Registrations registrations, StoreQueries queries,
                              Clock clock) {
    this.validator = validator;
    this.registrations = registrations;
    this.queries = queries;
    this.clock = clock;
  }

  /** POST /apis: register a new API. 201 with Location and ETag; 409 if the id is taken. */
  public void create(Context ctx) {
    requireJson(ctx);
    Registration registration = validator.create(ctx.bodyAsBytes(), clock.instant());
    requireLoaded();
    registrations.write(registration.getApiId(), () -> {
      if (registrations.get(registration.getApiId()).isPresent()) {
        throw ProblemException.conflict("an API with apiId '" + registration.getApiId()
            + "' is already registered; use PUT /apis/" + registration.getApiId() + " to change it");
      }
      return registration;
    });
    ctx.status(HttpStatus.CREATED)
        .header(Header.LOCATION, "/apis/" + registration.getApiId())
        .header(Header.ETAG, etag(registration))
        .json(Views.RegistrationView.of(registration));
  }

  /** GET /apis?state=RUNNING|STOPPED&limit=50&after=<apiId>: registrations in apiId order, paged. */
  public void list(Context ctx) {
    requireLoaded();
    int limit = intParam(ctx, "limit", 50, 1, MAX_PAGE);
    DesiredState state = enumParam(ctx, "state", DesiredState.class);
    boolean withStatus = includeStatus(ctx);
    List<Registration> page = registrations.page(ctx.queryParam("after"), limit, state);
    String authorization = ctx.header(Header.AUTHORIZATION);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.stream().map(registration -> withStatus
        ? new Views.ListedApi(Views.RegistrationView.of(registration), statusOrNull(registration.getApiId(), authorization))
        : Views.RegistrationView.of(registration)).toList());
    body.put("next", page.size() == limit ? page.getLast().getApiId() : null);
    ctx.json(body);
  }

  private static boolean includeStatus(Context ctx) {
    String include = ctx.queryParam("include");
    if (include == null || include.isEmpty()) {
      return false;
    }
    if (!include.equals("status")) {
      throw ProblemException.badRequest("unknown include '" + include + "'",
          List.of(new FieldError("include", "must be 'status'")));
    }
    return true;
  }

  /** The status for a list entry: null when the API has not been analysed yet or its owner cannot answer now. */
  private Views.StatusView statusOrNull(String apiId, String authorization) {
    try {
      return queries.get(StoreNames.STATUS, apiId, Topics.STATUS.valueSerde(), authorization)
          .map(Views.StatusView::of).orElse(null);
    } catch (ProblemException unavailable) {
      return null;
    }
  }

  /** GET /apis/{id}. */
  public void get(Context ctx) {
    Registration registration = existing(ctx);
    ctx.header(Header.ETAG, etag(registration)).json(Views.RegistrationView.of(registration));
  }

  /** PUT /apis/{id} with If-Match: replace the registration. 428 without If-Match, 412 on a stale one. */
  public void replace(Context ctx) {
    requireJson(ctx);
    byte[] body = ctx.bodyAsBytes();
    Registration[] next = new Registration[1];
    registrations.write(existing(ctx).getApiId(), () -> {
      Registration current = existing(ctx);
      requireMatch(ctx, current);
      next[0] = validator.replace(body, current, clock.instant());
      return next[0];
    });
    ctx.header(Header.ETAG, etag(next[0])).json(Views.RegistrationView.of(next[0]));
  }

  /** DELETE /apis/{id} with If-Match: a tombstone on the control topic; the API stops and its state goes. */
  public void delete(Context ctx) {
    registrations.write(existing(ctx).getApiId(), () -> {
      requireMatch(ctx, existing(ctx));
      return null; // a tombstone
    });
    ctx.status(HttpStatus.NO_CONTENT);
  }

  /** POST /apis/{id}/start. */
  public void start(Context ctx) {
    changeDesiredState(ctx, DesiredState.RUNNING);
  }

  /** POST /apis/{id}/stop. */
  public void stop(Context ctx) {
    changeDesiredState(ctx, DesiredState.STOPPED);
  }

  /** If-Match is optional here; a state the API already has writes nothing and answers the registration as it is. */
  private void changeDesiredState(Context ctx, DesiredState desired) {
    Registration next;
    try {
      Registration[] written = new Registration[1];
      registrations.write(existing(ctx).getApiId(), () -> {
        Registration current = existing(ctx);
        checkMatch(ctx, current);
        if (current.getDesiredState() == desired) {
          throw new Unchanged(current);
        }
        written[0] = Registration.newBuilder(current)
            .setDesiredState(desired)
            .setVersion(current.getVersion() + 1)
            .setUpdatedAt(Instant.now(clock))
            .build();
        return written[0];
      });
      next = written[0];
    } catch (Unchanged unchanged) { // idempotent: no new version, nothing written
      next = unchanged.current;
    }
    ctx.header(Header.ETAG, etag(next)).json(Views.RegistrationView.of(next));
  }

  /** The desired state already is the one asked for: nothing to write. */
  private static final class Unchanged extends RuntimeException {
    private final transient Registration current;

    Unchanged(Registration current) {
      super(null, null, false, false);
      this.current = current;
    }
  }

  private Registration existing(Context ctx) {
    return registrations.require(ctx.pathParam("id"));
  }

  private void requireLoaded() {
    if (!registrations.loaded()) {
      throw ProblemException.unavailable("registrations are still loading; retry shortly");
    }
  }
}
