package org.bellwatch.agent.hub;

import io.javalin.http.Handler;
import java.util.function.UnaryOperator;

/**
 * Where a group of the hub's routes registers them ({@link DistrictRoutes}, {@link LoginRoutes},
 * {@link HubMetricsRoute}), as a site's route groups do ({@code web.RouteGroup}): through the
 * server's one route list, with its sign-in guard (HTTP Basic or a console session, CSRF on
 * changes) around the routes that need a caller.
 */
record HubRoutes(Route route, UnaryOperator<Handler> signedIn) {
  /** Adds one route: {@code GET} or {@code POST}, its path and handler. */
  interface Route {
    void add(String method, String path, Handler handler);
  }

  void route(String method, String path, Handler handler) {
    route.add(method, path, handler);
  }

  /** The handler, run only for a signed-in caller ({@link HubServer#CALLER} set), else 401/403. */
  Handler signedIn(Handler inner) {
    return signedIn.apply(inner);
  }
}
