package org.bellwatch.agent.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.web.WebServer.Access;
import org.bellwatch.agent.web.WebServer.Operation;

/**
 * The console's routes as the route groups register them, each with who may call it ({@link
 * Access}: the least staff {@link Role}, and whether teachers may too), and the one guard that
 * enforces that before any handler runs: anonymous callers get 401, roles the route does not admit
 * get 403. A teacher is admitted only where a route says so, and what it then reads is limited to
 * its own sections by the principal's scope ({@link QueryParams#filter}). State-changing methods
 * (POST, PUT, PATCH, DELETE) must also come from this origin (Origin or Referer naming this host)
 * and, once logged in, carry the session's CSRF token in {@value SessionRules#CSRF_HEADER}.
 */
final class Routes {
  /** Every account's own things: staff from viewer up, and teachers. */
  static final Access ANY_ACCOUNT = Access.staffAndTeachers(Role.VIEWER);

  /** Reports: every staff role over the whole site; teachers over their own sections. */
  static final Access REPORT_READERS = Access.staffAndTeachers(Role.VIEWER);

  /**
   * The request attribute naming the route template that matched (the HTTP timer's tag; never a raw
   * path).
   */
  static final String ROUTE = "bellwatch.route";

  private static final String PRINCIPAL = "bellwatch.principal";
  private static final Set<HandlerType> STATE_CHANGING =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  /** One registered route: its method and path, and its handler behind the guard. */
  record Route(HandlerType method, String path, Handler handler) {}

  private final ConsoleAuth auth;
  private final List<Operation> operations = new ArrayList<>();
  private final List<Route> routes = new ArrayList<>();

  /** Where routes go once registered (the server), or null while they are only collected. */
  private Consumer<Route> sink;

  Routes(ConsoleAuth auth) {
    this.auth = auth;
  }

  /** A route for the staff roles from {@code least} up; teachers are refused. */
  void add(HandlerType method, String path, Role least, Handler handler) {
    add(method, path, Access.staff(least), handler);
  }

  void add(HandlerType method, String path, Access access, Handler handler) {
    operations.add(new Operation(method.name(), path, access.least(), access.teachers()));
    Route route =
        new Route(
            method,
            path,
            ctx -> {
              ctx.attribute(ROUTE, path);
              guard(ctx, method, access);
              handler.handle(ctx);
            });
    routes.add(route);
    if (sink != null) {
      sink.accept(route);
    }
  }

  /** Hands every route registered so far, and each one registered later, to {@code server}. */
  void serveWith(Consumer<Route> server) {
    routes.forEach(server);
    sink = server;
  }

  /** Every method and path with the least staff role that may call it and whether teachers may. */
  List<Operation> operations() {
    return List.copyOf(operations);
  }

  private void guard(Context ctx, HandlerType method, Access access) throws StorageException {
    boolean changing = STATE_CHANGING.contains(method);
    if (changing && !SameOrigin.of(ctx)) {
      throw new ApiException(
          403, "cross-origin request refused: Origin must be this console's address");
    }
    if (access.least() == Role.ANONYMOUS) {
      return;
    }
    Principal p = auth.authenticate(ctx);
    if (p == null) {
      throw new ApiException(401, "log in first");
    }
    if (!access.admits(p.role())) {
      throw new ApiException(
          403,
          "the "
              + p.role().id()
              + " role may not do this (needs "
              + access.least().id()
              + (access.teachers() ? " or teacher" : "")
              + ")");
    }
    if (changing
        && !SessionRules.csrfMatches(
            p.session().csrfToken(), ctx.header(SessionRules.CSRF_HEADER))) {
      throw new ApiException(403, "missing or wrong " + SessionRules.CSRF_HEADER + " header");
    }
    ctx.attribute(PRINCIPAL, p);
  }

  /** The caller the guard admitted (401 when the route let anyone in and nobody is logged in). */
  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new ApiException(401, "log in first");
    }
    return p;
  }
}
