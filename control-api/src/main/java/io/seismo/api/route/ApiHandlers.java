package io.seismo.api.route;

import io.javalin.http.Context;
import io.seismo.api.auth.TokenAuth;
import io.seismo.api.error.ProblemException;
import io.seismo.api.query.StoreQueryService;
import io.seismo.api.registration.RegistrationValidator;
import io.seismo.api.registration.RegistrationWriter;
import io.seismo.schemas.ApiStatus;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import io.seismo.schemas.topic.Topics;
import io.seismo.topology.store.StoreNames;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Handlers of the {@code /apis} resources, wired as method references in {@code ControlApi}. */
public final class ApiHandlers {

  private static final Map<String, Serde<?>> QUERYABLE = Map.of(
      StoreNames.REGISTRATIONS, Topics.REGISTRATIONS.valueSerde(),
      StoreNames.STATUS, Topics.STATUS.valueSerde(),
      StoreNames.DOCUMENTS, Serdes.ByteArray());

  private final TokenAuth auth;
  private final RegistrationValidator validator;
  private final RegistrationWriter writer;
  private final StoreQueryService queries;
  private final Clock clock;

  public ApiHandlers(TokenAuth auth, RegistrationValidator validator, RegistrationWriter writer,
                     StoreQueryService queries, Clock clock) {
    this.auth = auth;
    this.validator = validator;
    this.writer = writer;
    this.queries = queries;
    this.clock = clock;
  }

  /** POST /apis: register a new API. 201 with Location and ETag; 409 if the id is taken. */
  public void create(Context ctx) {
    auth.requireWrite(ctx);
    Registration registration = validator.create(ctx.bodyAsBytes(), clock.instant());
    if (registration(registration.getApiId(), ctx) != null) {
      throw ProblemException.conflict("an API with apiId '" + registration.getApiId()
          + "' is already registered; use PUT /apis/" + registration.getApiId() + " to change it");
    }
    writer.write(registration.getApiId(), registration);
    ctx.status(201)
        .header("Location", "/apis/" + registration.getApiId())
        .header("ETag", etag(registration))
        .json(Views.RegistrationView.of(registration));
  }

  /** GET /apis/{id}. */
  public void get(Context ctx) {
    auth.requireRead(ctx);
    Registration registration = existing(ctx);
    ctx.header("ETag", etag(registration)).json(Views.RegistrationView.of(registration));
  }

  /** POST /apis/{id}/start. */
  public void start(Context ctx) {
    changeDesiredState(ctx, DesiredState.RUNNING);
  }

  /** POST /apis/{id}/stop. */
  public void stop(Context ctx) {
    changeDesiredState(ctx, DesiredState.STOPPED);
  }

  private void changeDesiredState(Context ctx, DesiredState desired) {
    auth.requireWrite(ctx);
    Registration current = existing(ctx);
    Registration next = Registration.newBuilder(current)
        .setDesiredState(desired)
        .setVersion(current.getVersion() + 1)
        .setUpdatedAt(Instant.now(clock))
        .build();
    writer.write(next.getApiId(), next);
    ctx.header("ETag", etag(next)).json(Views.RegistrationView.of(next));
  }

  /** GET /apis/{id}/status. */
  public void status(Context ctx) {
    auth.requireRead(ctx);
    String apiId = ctx.pathParam("id");
    ApiStatus status = queries.get(StoreNames.STATUS, apiId, Topics.STATUS.valueSerde(), ctx.header("Authorization"))
        .orElseThrow(() -> ProblemException.notFound("no API with apiId '" + apiId + "'"));
    ctx.json(Views.StatusView.of(status));
  }

  /** GET /apis/{id}/document: the last document, canonical JSON. */
  public void document(Context ctx) {
    auth.requireRead(ctx);
    String apiId = ctx.pathParam("id");
    byte[] document = queries.get(StoreNames.DOCUMENTS, apiId, Serdes.ByteArray(), ctx.header("Authorization"))
        .orElseThrow(() -> ProblemException.notFound("no JSON document for apiId '" + apiId
            + "' (unknown API, not sampled yet, or its last payload was not JSON)"));
    ctx.contentType("application/json").result(document);
  }

  /** GET /internal/stores/{store}/{key}: serialized value of a key this instance owns, for other instances. */
  public void internalStore(Context ctx) {
    auth.requireRead(ctx);
    String store = ctx.pathParam("store");
    Serde<?> serde = QUERYABLE.get(store);
    if (serde == null) {
      throw ProblemException.notFound("no queryable store '" + store + "'");
    }
    byte[] bytes = queries.localBytes(store, ctx.pathParam("key"), serde)
        .orElseThrow(() -> ProblemException.notFound("no key '" + ctx.pathParam("key") + "' in " + store));
    ctx.contentType("application/octet-stream").result(bytes);
  }

  private Registration existing(Context ctx) {
    String apiId = ctx.pathParam("id");
    Registration registration = registration(apiId, ctx);
    if (registration == null) {
      throw ProblemException.notFound("no API with apiId '" + apiId + "'");
    }
    return registration;
  }

  private Registration registration(String apiId, Context ctx) {
    return queries.get(StoreNames.REGISTRATIONS, apiId, Topics.REGISTRATIONS.valueSerde(), ctx.header("Authorization"))
        .orElse(null);
  }

  private static String etag(Registration registration) {
    return "\"" + registration.getVersion() + "\"";
  }
}
