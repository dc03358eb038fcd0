package io.seismo.api.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * What a route needs from its caller, declared on the route: {@link #READ} a read or write token (when read
 * tokens are configured), {@link #WRITE} a write token. A route with neither is public.
 */
public enum Access implements RouteRole {
  READ,
  WRITE;

  /**
   * The check of every matched route, run before its handler (after the rate limit): 401 without a valid
   * token, 403 for a read token on a write route.
   */
  public static Handler check(TokenAuth auth) {
    return ctx -> require(auth, ctx, ctx.routeRoles());
  }

  static void require(TokenAuth auth, Context ctx, Set<RouteRole> roles) {
    if (roles.contains(WRITE)) {
      auth.requireWrite(ctx);
    } else if (roles.contains(READ)) {
      auth.requireRead(ctx);
    }
  }
}
