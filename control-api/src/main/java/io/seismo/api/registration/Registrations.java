package io.seismo.api.registration;

import io.seismo.api.error.ProblemException;
import io.seismo.runtime.topic.RegistrationTable;
import io.seismo.schemas.DesiredState;
import io.seismo.schemas.Registration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registrations as the route handlers read and change them: the registration table for reads, the
 * {@link RegistrationWriter} for conditional writes. In-process route tests use a map instead.
 */
public interface Registrations {

  /** True once every registration on the control topic at start has been read. */
  boolean loaded();

  Optional<Registration> get(String apiId);

  /** Up to {@code limit} registrations with apiId after {@code after} (exclusive), in apiId order. */
  List<Registration> page(String after, int limit, DesiredState state);

  /**
   * Runs {@code decide} — which reads these registrations and throws a problem to refuse — and writes what it
   * returns for {@code apiId} ({@code null}: a tombstone), with no other write of the apiId in between; once
   * this returns, {@link #get} shows the write.
   */
  void write(String apiId, Supplier<Registration> decide);

  /** The registration of {@code apiId}: 503 while the registrations are still loading, 404 when there is none. */
  default Registration require(String apiId) {
    if (!loaded()) {
      throw ProblemException.unavailable("registrations are still loading; retry shortly");
    }
    return get(apiId).orElseThrow(() -> ProblemException.notFound("no API with apiId '" + apiId + "'"));
  }

  static Registrations of(RegistrationTable table, RegistrationWriter writer) {
    return new Registrations() {
      @Override
      public boolean loaded() {
        return table.loaded();
      }

      @Override
      public Optional<Registration> get(String apiId) {
        return table.get(apiId);
      }

      @Override
      public List<Registration> page(String after, int limit, DesiredState state) {
        return table.page(after, limit, state);
      }

      @Override
      public void write(String apiId, Supplier<Registration> decide) {
        writer.write(apiId, table, decide);
      }
    };
  }
}
