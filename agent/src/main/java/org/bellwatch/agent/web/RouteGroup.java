package org.bellwatch.agent.web;

/**
 * A few routes over the narrow interfaces they need (an *Api class). Each group registers all its
 * routes in one method, with who may call each ({@link Routes}), so the server's route list is the
 * sum of its groups.
 */
interface RouteGroup {
  void register(Routes routes);
}
