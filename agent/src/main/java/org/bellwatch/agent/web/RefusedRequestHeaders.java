package org.bellwatch.agent.web;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler with the console's headers: the 400s Jetty sends itself for a request it
 * cannot parse (an ambiguous or malformed path) never reach a Javalin handler, so the security
 * headers, no-store and, over HTTPS, HSTS are added here. Jetty 12 answers every such request
 * through {@link #handle}.
 */
final class RefusedRequestHeaders extends ErrorHandler {
  private final boolean hsts;

  RefusedRequestHeaders(boolean hsts) {
    this.hsts = hsts;
    setCacheControl("no-store");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    WebServer.SECURITY_HEADERS.forEach(response.getHeaders()::put);
    if (hsts) {
      response.getHeaders().put("Strict-Transport-Security", WebServer.HSTS);
    }
    return super.handle(request, response, callback);
  }
}
